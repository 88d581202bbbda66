package db.migration;

import io.billing.platform.persistence.Databases;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The database itself keeps the ledger append-only and balanced, whoever writes to it: the application's code, an
 * operator's SQL, a bug. Before this migration only the application held to it.
 * <ul>
 *   <li>A row of {@code journal_entry} or {@code journal_line} is never updated or deleted: a row trigger refuses
 *       both (SQLSTATE 23001, {@code restrict_violation}). A correction is a reversing entry. {@code TRUNCATE}
 *       fires no row trigger: by default only the tables' owner may run it, and only a test database needs it.</li>
 *   <li>Every entry balances: its lines are in its own tenant and currency and its debits equal its credits, and it
 *       has lines (SQLSTATE 23514, {@code check_violation}). On PostgreSQL constraint triggers deferred to the commit
 *       check each entry inserted (once, however many lines it got in the same transaction: checking it at each of
 *       its lines as well took half as long again at the commit) and each entry of an earlier transaction that got a
 *       line, so an entry and its lines may be written in any order within the transaction. H2 has no deferred
 *       trigger and no hook at the commit: its check
 *       ({@code io.billing.ledger.database.BalancedEntriesTrigger}) runs at the end of each statement that inserts
 *       lines, which is why the ledger writes an entry's lines in one statement, and it does not see an entry that
 *       never gets a line.</li>
 * </ul>
 *
 * <p>A Java migration because the two databases write triggers differently: PostgreSQL in PL/pgSQL, H2 as Java classes
 * that this migration names. H2 loads them by name when a trigger first fires, with its own class loader or else the
 * thread's context class loader: in the container H2 is the server's and the classes are the application's, whose
 * threads (requests, the engine's managed threads, the migration) carry its class loader. Creating a trigger changes the catalogue only; on PostgreSQL it takes a short lock on each table,
 * under the migration's lock timeout. The check's functions keep the schema they were created in
 * ({@code SET search_path FROM CURRENT}), so they read the right journal whatever schema path the writing session has.
 *
 * <p>A later migration that must rewrite journal rows (a new column filled from old ones) disables the two
 * {@code *_append_only} triggers around its own statement, in its own transaction.
 */
public class V42__ledger_guards extends BaseJavaMigration {

    private static final List<String> POSTGRESQL = List.of("""
            CREATE FUNCTION refuse_append_only_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only: its rows are never %', TG_TABLE_NAME,
                    CASE TG_OP WHEN 'DELETE' THEN 'removed' ELSE 'changed' END
                    USING ERRCODE = 'restrict_violation';
            END
            $$""", """
            CREATE TRIGGER trg_journal_entry_append_only BEFORE UPDATE OR DELETE ON journal_entry
                FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change()""", """
            CREATE TRIGGER trg_journal_line_append_only BEFORE UPDATE OR DELETE ON journal_line
                FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change()""", """
            CREATE FUNCTION check_journal_entry(checked BIGINT) RETURNS void LANGUAGE plpgsql AS $$
            DECLARE
                entry RECORD;
            BEGIN
                SELECT e.business_key, COUNT(l.line_no) AS lines, COALESCE(SUM(l.debit), 0) AS debits,
                       COALESCE(SUM(l.credit), 0) AS credits,
                       COUNT(*) FILTER (WHERE l.tenant_id <> e.tenant_id OR l.currency <> e.currency) AS foreign_lines
                  INTO entry
                  FROM journal_entry e LEFT JOIN journal_line l ON l.entry_id = e.entry_id
                 WHERE e.entry_id = checked
                 GROUP BY e.business_key;
                IF NOT FOUND THEN
                    RETURN; -- no such entry: the foreign key refuses the line
                ELSIF entry.lines = 0 THEN
                    RAISE EXCEPTION 'journal entry % (%) has no lines', checked, entry.business_key
                        USING ERRCODE = 'check_violation';
                ELSIF entry.foreign_lines > 0 THEN
                    RAISE EXCEPTION 'journal entry % (%) has % line(s) of another tenant or currency than its own',
                        checked, entry.business_key, entry.foreign_lines USING ERRCODE = 'check_violation';
                ELSIF entry.debits <> entry.credits THEN
                    RAISE EXCEPTION 'journal entry % (%) does not balance: debits %, credits %', checked,
                        entry.business_key, entry.debits, entry.credits USING ERRCODE = 'check_violation';
                END IF;
            END
            $$""", """
            CREATE FUNCTION check_journal_entry_balanced() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
            BEGIN
                PERFORM check_journal_entry(NEW.entry_id);
                RETURN NULL;
            END
            $$""", """
            CREATE FUNCTION check_journal_line_balanced() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
            BEGIN
                -- An entry this transaction inserted is checked once, by its own trigger: at the commit it has all
                -- the lines the transaction gave it. A line of an entry from before is checked here.
                IF NOT EXISTS (SELECT 1 FROM journal_entry
                               WHERE entry_id = NEW.entry_id AND xmin = pg_current_xact_id()::xid) THEN
                    PERFORM check_journal_entry(NEW.entry_id);
                END IF;
                RETURN NULL;
            END
            $$""", """
            CREATE CONSTRAINT TRIGGER trg_journal_entry_balanced AFTER INSERT ON journal_entry
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_journal_entry_balanced()""", """
            CREATE CONSTRAINT TRIGGER trg_journal_line_balanced AFTER INSERT ON journal_line
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_journal_line_balanced()""");

    private static final String APPEND_ONLY = "\"io.billing.platform.persistence.AppendOnlyTrigger\"";
    private static final String BALANCED = "\"io.billing.ledger.database.BalancedEntriesTrigger\"";

    private static final List<String> H2 = List.of(
            "CREATE TRIGGER trg_journal_entry_append_only BEFORE UPDATE, DELETE ON journal_entry FOR EACH ROW CALL "
                    + APPEND_ONLY,
            "CREATE TRIGGER trg_journal_line_append_only BEFORE UPDATE, DELETE ON journal_line FOR EACH ROW CALL "
                    + APPEND_ONLY,
            "CREATE TRIGGER trg_journal_line_balanced_start BEFORE INSERT ON journal_line CALL " + BALANCED,
            "CREATE TRIGGER trg_journal_line_balanced_row AFTER INSERT ON journal_line FOR EACH ROW CALL " + BALANCED,
            "CREATE TRIGGER trg_journal_line_balanced AFTER INSERT ON journal_line CALL " + BALANCED);

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        boolean postgres = Databases.isPostgres(connection);
        try (Statement statement = connection.createStatement()) {
            for (String sql : postgres ? POSTGRESQL : H2) {
                statement.execute(sql);
            }
        }
    }
}
