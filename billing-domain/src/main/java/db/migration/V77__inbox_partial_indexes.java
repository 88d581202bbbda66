package db.migration;

import io.billing.platform.persistence.Databases;
import io.billing.platform.persistence.SchemaMigration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Six of the inbox's secondary indexes hold only the rows their queries read: on PostgreSQL each becomes a partial
 * index, under the same name and on the same columns. The insert of an event writes an entry in every index whose
 * predicate the row satisfies, and so does each of the engine's two updates of it (the claim sets status, lease and
 * {@code due_at}; the settle sets status, {@code status_changed_at}, {@code tenant_id} and {@code due_at = NULL}):
 * they change indexed columns, so each writes a new row version that every index must find. With whole indexes that
 * was three entries in each of the eleven, whether or not anything would ever look the row up through it:
 * <ul>
 *   <li>{@code ix_inbox_event_account}, {@code WHERE account_id IS NOT NULL}: only events of Stripe Connect accounts
 *       have one; the one query ({@code account_id = ?}, the re-queue of an account's parked events) names it;</li>
 *   <li>{@code ix_inbox_event_awaiting}, {@code WHERE awaiting_id IS NOT NULL}: only parked events wait for
 *       something; the re-queues read {@code awaiting_id = ?} and {@code awaiting_id IS NOT NULL};</li>
 *   <li>{@code ix_inbox_event_tenant}, {@code WHERE tenant_id IS NOT NULL}: an event has its tenant only once it
 *       settled, so its insert and its claim write no entry; the one query is the admin's filter of the events
 *       {@code tenant_id = ?};</li>
 *   <li>{@code ix_inbox_event_customer}, {@code WHERE customer_id IS NOT NULL}: events about no customer (products,
 *       prices, accounts) stay out; every query names a customer ({@code customer_id = ?}, alone or as an arm of an
 *       {@code OR});</li>
 *   <li>{@code ix_inbox_event_due}, {@code WHERE due_at IS NOT NULL}: a settled event has no due time, so the settle
 *       writes no entry and the settled events (nearly all of them) none at all; the claim reads
 *       {@code due_at <= ?}, the dashboard {@code MIN(due_at) … WHERE due_at IS NOT NULL};</li>
 *   <li>{@code ix_inbox_event_payload_retention}, {@code WHERE payload_removed_at IS NULL AND status IN ('PROCESSED',
 *       'IGNORED')}: data retention removes the bodies of those two statuses only, and reads
 *       {@code payload_removed_at IS NULL AND status = 'PROCESSED'} (or {@code 'IGNORED'}, the status written in the
 *       statement, not bound), so an event gets an entry when it settles, not when it arrives or is claimed, and loses
 *       it when its body goes. The operator's re-run of processed events
 *       ({@code payload_removed_at IS NULL AND status IN ('PROCESSED', 'IGNORED')}) may read it too. The columns stay
 *       as they were: the retention's {@code ORDER BY} names all three to read them in the index's order.</li>
 * </ul>
 * Every query that read one of them before says in its {@code WHERE} what the predicate says, which PostgreSQL needs
 * to read a partial index (a strict comparison such as {@code col = ?} implies {@code col IS NOT NULL}).
 * {@code InboxPartialIndexesTest} plans each of them on its index, as a prepared statement's plan for any values. The
 * other five indexes of the inbox are on columns that every event has ({@code status}, {@code event_type},
 * {@code stripe_created}, {@code received_at}, and the id of the Stripe object the event is about) and stay whole.
 *
 * <p>Migrated while other nodes write, as the index migrations in SQL are (see V30_1): outside a transaction, with
 * {@code CONCURRENTLY} when the migration's {@code concurrently} placeholder says so ({@link SchemaMigration}), under
 * the index builds' lock timeout. Each index is built anew under a temporary name beside the old one, then the old
 * one is dropped and the new one takes its name, so the queries have one or the other all along and nodes of the
 * previous version, whose queries are the same, use the new one (but for their data retention, which binds the
 * status: see docs/operations.md). A build that gives up leaves an invalid index under
 * the temporary name, and the migration's failed entry: once that is repaired, the migration runs again, passes over
 * the indexes already partial, drops the invalid one and builds it anew.
 *
 * <p>A Java migration because the statements are PostgreSQL's alone: H2 (the embedded default) has no partial
 * indexes, keeps the whole ones, and the migration history stays the same on both.
 */
public class V77__inbox_partial_indexes extends BaseJavaMigration {

    /** An index of the inbox as it becomes: its name, its columns (as they were) and its predicate. */
    record PartialIndex(String name, String columns, String predicate) {

        /** The new index's name while it is built beside the old one. */
        String building() {
            return name + "_partial";
        }
    }

    static final List<PartialIndex> INDEXES = List.of(
            new PartialIndex("ix_inbox_event_account", "account_id", "account_id IS NOT NULL"),
            new PartialIndex("ix_inbox_event_awaiting", "awaiting_id", "awaiting_id IS NOT NULL"),
            new PartialIndex("ix_inbox_event_tenant", "tenant_id, stripe_created", "tenant_id IS NOT NULL"),
            new PartialIndex("ix_inbox_event_customer", "customer_id, stripe_created", "customer_id IS NOT NULL"),
            new PartialIndex("ix_inbox_event_due", "due_at", "due_at IS NOT NULL"),
            new PartialIndex("ix_inbox_event_payload_retention", "payload_removed_at, status, status_changed_at",
                    "payload_removed_at IS NULL AND status IN ('PROCESSED', 'IGNORED')"));

    /** {@code CREATE INDEX CONCURRENTLY} and {@code DROP INDEX CONCURRENTLY} cannot run in a transaction. */
    @Override
    public boolean canExecuteInTransaction() {
        return false;
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        if (!Databases.isPostgres(connection)) {
            return;
        }
        String option = MigrationStatements.concurrently(context);
        try (Statement statement = connection.createStatement()) {
            for (PartialIndex index : INDEXES) {
                if (alreadyPartial(connection, index.name())) {
                    continue; // done by an earlier run that gave up at a later index
                }
                statement.execute("DROP INDEX" + option + "IF EXISTS " + index.building());
                statement.execute("CREATE INDEX" + option + index.building() + " ON inbox_event (" + index.columns()
                        + ") WHERE " + index.predicate());
                statement.execute("DROP INDEX" + option + "IF EXISTS " + index.name());
                statement.execute("ALTER INDEX " + index.building() + " RENAME TO " + index.name());
            }
        }
    }

    /** Whether the index of that name (in the schema being migrated) is valid and has a predicate. */
    private static boolean alreadyPartial(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT indisvalid AND indpred IS NOT NULL FROM pg_index WHERE indexrelid = to_regclass(?)")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }
}
