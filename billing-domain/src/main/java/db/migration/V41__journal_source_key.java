package db.migration;

import io.billing.platform.persistence.Databases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.logging.Logger;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * One Stripe fact belongs to one tenant's ledger. A journal entry's business key ({@code invoice_paid:in_…},
 * {@code payment:pi_…}) names a Stripe fact; it was unique per tenant only, so a customer mapped to another tenant
 * and its events run again posted the same payment in both ledgers. From here on the pair
 * {@code (business_key, cross_tenant_copy)} is unique (the index is {@code V41_1}) and every new entry has
 * {@code cross_tenant_copy = 0}: a fact in one tenant's ledger cannot be posted in another's.
 *
 * <p>Copies an earlier version posted stay as they are (the ledger never changes a posted entry): the first entry of
 * each fact keeps 0 and each later entry of the fact gets its own entry id, which keeps it out of the unique key. The
 * check lets no entry posted after this migration be such a copy: it names the newest copy's id, which is why this is
 * a Java migration (the statements are the same on PostgreSQL and H2). The log says how many copies there were;
 * docs/operations.md says how to list them.
 *
 * <p>Rolling upgrade: the column has a default, so nodes of the previous version post entries that are not copies
 * without naming it. On PostgreSQL the new column with a constant default changes the catalogue only; marking the
 * copies reads the whole table once while it is locked (1.9 s for a million entries on a 2-core machine; the
 * migration's lock timeout bounds the wait for the lock), and the check is added {@code NOT VALID}, since the rows it
 * would scan are the ones this transaction has just written to satisfy it.
 */
public class V41__journal_source_key extends BaseJavaMigration {

    private static final Logger LOG = Logger.getLogger(V41__journal_source_key.class.getName());

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        boolean postgres = Databases.isPostgres(connection);
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE journal_entry ADD COLUMN cross_tenant_copy BIGINT DEFAULT 0 NOT NULL");
            int copies = statement.executeUpdate("""
                    UPDATE journal_entry SET cross_tenant_copy = entry_id WHERE entry_id IN (
                        SELECT e.entry_id FROM journal_entry e
                        JOIN (SELECT business_key, MIN(entry_id) AS first_id FROM journal_entry GROUP BY business_key
                              HAVING COUNT(*) > 1) f ON f.business_key = e.business_key
                        WHERE e.entry_id <> f.first_id)""");
            long newestCopy;
            try (ResultSet row = statement.executeQuery("SELECT COALESCE(MAX(cross_tenant_copy), 0) FROM journal_entry")) {
                row.next();
                newestCopy = row.getLong(1);
            }
            statement.execute("ALTER TABLE journal_entry ADD CONSTRAINT ck_journal_entry_copy CHECK (cross_tenant_copy = 0"
                    + " OR (cross_tenant_copy = entry_id AND entry_id <= " + newestCopy + "))"
                    + (postgres ? " NOT VALID" : ""));
            if (copies > 0) {
                LOG.warning(() -> copies + " journal entries post a Stripe fact that another tenant's ledger held first;"
                        + " they stay, marked in journal_entry.cross_tenant_copy, and no new one can be posted");
            }
        }
    }
}
