package db.migration;

import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The admin's failures page reads the most recently failed events in the order they failed
 * ({@code io.billing.processing.operator.FailureGroups}: {@code WHERE status IN ('FAILED', 'RETRY_SCHEDULED') …
 * ORDER BY status_changed_at DESC, event_id LIMIT 10000}). Served by the status index alone, PostgreSQL read every
 * failing event and sorted them: 366 ms a view with 200,000 failed events among ten million. This partial index
 * holds the failing events only, in that order, so the page reads its ten thousand rows and stops.
 *
 * <p>It costs the intake and the engine nothing while events succeed: a row gets an entry only when it fails, and
 * loses it when it is retried and settles. Built as V77 builds its indexes: outside a transaction, with
 * {@code CONCURRENTLY} when the migration's placeholder says so, dropped first if an earlier run that gave up left
 * an invalid one behind. PostgreSQL only: H2 (the embedded database of one node) has no partial indexes, and a whole
 * index on every event for a page's sake is not worth its writes there.
 */
public class V79__inbox_failing_index extends BaseJavaMigration {

    /** {@code CREATE INDEX CONCURRENTLY} cannot run in a transaction. */
    @Override
    public boolean canExecuteInTransaction() {
        return false;
    }

    @Override
    public void migrate(Context context) throws Exception {
        String option = MigrationStatements.concurrently(context);
        MigrationStatements.run(context, List.of(), List.of(
                "DROP INDEX" + option + "IF EXISTS ix_inbox_event_failing",
                "CREATE INDEX" + option + "ix_inbox_event_failing ON inbox_event (status_changed_at DESC, event_id)"
                        + " WHERE status IN ('FAILED', 'RETRY_SCHEDULED')"), List.of());
    }
}
