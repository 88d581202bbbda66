package io.billing.ledger;

import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import static io.billing.ledger.LedgerAccount.RECEIVABLES;
import static io.billing.ledger.LedgerAccount.STRIPE_BALANCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database keeps the ledger append-only and balanced, and each Stripe fact in one tenant's ledger, whoever writes
 * to it: these tests write with plain JDBC, as an operator's SQL or a bug would, on PostgreSQL and on the embedded H2.
 * Where the two differ (PostgreSQL checks an entry at the commit, H2 at the end of the statement that writes its
 * lines), each has its own test.
 */
class LedgerGuardsTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final String ENTRY_SQL = "INSERT INTO journal_entry (tenant_id, currency, business_key, posted_at)"
            + " VALUES ('tenant_acme', 'USD', '%s', CURRENT_TIMESTAMP)";
    private static final String LINE_SQL = "INSERT INTO journal_line (entry_id, line_no, tenant_id, currency, account,"
            + " debit, credit) SELECT entry_id, %d, 'tenant_acme', 'USD', '%s', %d, %d FROM journal_entry"
            + " WHERE business_key = '%s'";
    private static final String JOURNAL = "SELECT e.tenant_id, e.business_key, e.description, l.line_no, l.account,"
            + " l.debit, l.credit FROM journal_entry e JOIN journal_line l ON l.entry_id = e.entry_id"
            + " ORDER BY e.entry_id, l.line_no";

    private static TestDatabase postgres;
    private static TestDatabase h2;

    @BeforeAll
    static void open() {
        postgres = TestDatabase.postgres();
        h2 = TestDatabase.h2();
    }

    @AfterAll
    static void close() {
        postgres.close();
        h2.close();
    }

    private static TestDatabase on(String database) throws SQLException {
        TestDatabase chosen = "postgresql".equals(database) ? postgres : h2;
        chosen.emptyLedger();
        return chosen;
    }

    private static boolean post(TestDatabase database, String tenant, String key) throws SQLException {
        return database.dataAccess().inTransaction(unit -> new JpaLedger(unit.entityManager()).post(
                JournalEntry.transfer(tenant, key, "evt_1", key + " paid", STRIPE_BALANCE, RECEIVABLES,
                        Money.ofStripe(4900, "usd")), NOW));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void anUpdateOfAJournalRowIsRefused(String kind) throws Exception {
        TestDatabase database = on(kind);
        assertTrue(post(database, "tenant_acme", "invoice_paid:in_1"));
        List<String> posted = database.rows(JOURNAL);
        assertEquals(2, posted.size());

        assertRefused(database, "UPDATE journal_entry SET description = 'paid twice'", "23001",
                "journal_entry is append-only: its rows are never changed");
        assertRefused(database, "UPDATE journal_entry SET tenant_id = 'tenant_globex'", "23001",
                "journal_entry is append-only: its rows are never changed");
        assertRefused(database, "UPDATE journal_line SET debit = 1 WHERE line_no = 1", "23001",
                "journal_line is append-only: its rows are never changed");
        assertEquals(posted, database.rows(JOURNAL));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aDeleteOfAJournalRowIsRefused(String kind) throws Exception {
        TestDatabase database = on(kind);
        assertTrue(post(database, "tenant_acme", "invoice_paid:in_1"));
        List<String> posted = database.rows(JOURNAL);

        assertRefused(database, "DELETE FROM journal_line WHERE line_no = 2", "23001",
                "journal_line is append-only: its rows are never removed");
        assertRefused(database, "DELETE FROM journal_line", "23001",
                "journal_line is append-only: its rows are never removed");
        assertRefused(database, "DELETE FROM journal_entry", "23001",
                "journal_entry is append-only: its rows are never removed");
        assertEquals(posted, database.rows(JOURNAL));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void anUnbalancedEntryWrittenWithPlainJdbcIsRefusedAndLeavesNothing(String kind) throws Exception {
        TestDatabase database = on(kind);
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            SQLException refused = assertThrows(SQLException.class, () -> {
                statement.execute(ENTRY_SQL.formatted("invoice_paid:in_2"));
                // both lines in one statement, as the ledger writes them
                statement.execute("INSERT INTO journal_line (entry_id, line_no, tenant_id, currency, account, debit,"
                        + " credit) SELECT entry_id, n, 'tenant_acme', 'USD', CASE n WHEN 1 THEN 'STRIPE_BALANCE'"
                        + " ELSE 'RECEIVABLES' END, CASE n WHEN 1 THEN 4900 ELSE 0 END, CASE n WHEN 1 THEN 0 ELSE 4899"
                        + " END FROM journal_entry, (SELECT 1 AS n UNION ALL SELECT 2) two"
                        + " WHERE business_key = 'invoice_paid:in_2'");
                connection.commit();
            });
            assertEquals("23514", sqlState(refused), refused.getMessage());
            assertTrue(refused.getMessage().contains("(invoice_paid:in_2) does not balance: debits 4900, credits 4899"),
                    refused.getMessage());
            connection.rollback();
        }
        assertEquals(0, database.count("SELECT COUNT(*) FROM journal_entry"));
        assertEquals(0, database.count("SELECT COUNT(*) FROM journal_line"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aLineAddedToAPostedEntryMustKeepItBalanced(String kind) throws Exception {
        TestDatabase database = on(kind);
        assertTrue(post(database, "tenant_acme", "invoice_paid:in_1"));
        List<String> posted = database.rows(JOURNAL);
        assertRefused(database, LINE_SQL.formatted(3, "REVENUE", 0, 100, "invoice_paid:in_1"), "23514",
                "does not balance: debits 4900, credits 5000");
        assertRefused(database, "INSERT INTO journal_line (entry_id, line_no, tenant_id, currency, account, debit,"
                + " credit) SELECT entry_id, n + 2, 'tenant_acme', 'EUR', CASE n WHEN 1 THEN 'REVENUE' ELSE 'REFUNDS'"
                + " END, CASE n WHEN 1 THEN 7 ELSE 0 END, CASE n WHEN 1 THEN 0 ELSE 7 END FROM journal_entry,"
                + " (SELECT 1 AS n UNION ALL SELECT 2) two", "23514", "has 2 line(s) of another tenant or currency");
        assertEquals(posted, database.rows(JOURNAL));
    }

    /**
     * PostgreSQL checks at the commit: an entry and its lines may be written in any order and statement by statement
     * within the transaction, and an entry without lines is refused.
     */
    @Test
    void onPostgresqlAnEntryIsCheckedAtTheCommit() throws Exception {
        TestDatabase database = on("postgresql");
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute(ENTRY_SQL.formatted("invoice_paid:in_3"));
            statement.execute(LINE_SQL.formatted(1, "STRIPE_BALANCE", 4900, 0, "invoice_paid:in_3"));
            statement.execute(LINE_SQL.formatted(2, "RECEIVABLES", 0, 4900, "invoice_paid:in_3"));
            connection.commit();

            statement.execute(ENTRY_SQL.formatted("invoice_paid:in_4"));
            statement.execute(LINE_SQL.formatted(1, "STRIPE_BALANCE", 4900, 0, "invoice_paid:in_4"));
            SQLException refused = assertThrows(SQLException.class, connection::commit, "the statements passed");
            assertEquals("23514", refused.getSQLState());
            assertTrue(refused.getMessage().contains("(invoice_paid:in_4) does not balance: debits 4900, credits 0"),
                    refused.getMessage());

            statement.execute(ENTRY_SQL.formatted("invoice_paid:in_5"));
            refused = assertThrows(SQLException.class, connection::commit);
            assertEquals("23514", refused.getSQLState());
            assertTrue(refused.getMessage().contains("(invoice_paid:in_5) has no lines"), refused.getMessage());
        }
        assertEquals(List.of("invoice_paid:in_3"), database.rows("SELECT business_key FROM journal_entry"));
    }

    /** H2 has no check at the commit: it checks at the end of each statement that writes lines. */
    @Test
    void onH2AnEntryIsCheckedAtTheEndOfTheStatementThatWritesItsLines() throws Exception {
        TestDatabase database = on("h2");
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute(ENTRY_SQL.formatted("invoice_paid:in_3"));
            SQLException refused = assertThrows(SQLException.class, () -> statement.execute(
                    LINE_SQL.formatted(1, "STRIPE_BALANCE", 4900, 0, "invoice_paid:in_3")));
            assertEquals("23514", sqlState(refused));
            assertTrue(refused.getMessage().contains("(invoice_paid:in_3) does not balance: debits 4900, credits 0"),
                    refused.getMessage());
            connection.rollback();
        }
        assertEquals(0, database.count("SELECT COUNT(*) FROM journal_line"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aFactInOneTenantsLedgerIsRefusedInAnothers(String kind) throws Exception {
        TestDatabase database = on(kind);
        assertTrue(post(database, "tenant_acme", "payment:pi_1"));
        assertFalse(post(database, "tenant_acme", "payment:pi_1"), "the same tenant's repeat is a repeat");
        CrossTenantPostingException refused = assertThrows(CrossTenantPostingException.class,
                () -> post(database, "tenant_globex", "payment:pi_1"));
        assertTrue(refused.getMessage().startsWith("payment:pi_1 is already in the ledger of tenant_acme; not posted"
                + " for tenant_globex"), refused.getMessage());
        assertRefused(database, "INSERT INTO journal_entry (tenant_id, currency, business_key, posted_at)"
                + " VALUES ('tenant_globex', 'USD', 'payment:pi_1', CURRENT_TIMESTAMP)", "23505", "");
        assertEquals(List.of("tenant_acme | payment:pi_1"), database.rows("SELECT tenant_id, business_key"
                + " FROM journal_entry"));
    }

    /**
     * An earlier version could post one fact in two tenants' ledgers. The migration keeps such copies as they are,
     * marked, and from then on no further copy is let in; a ledger that holds a copy finds its fact posted.
     */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void copiesAnEarlierVersionPostedStayAndNoNewOneIsLetIn(String kind) throws Exception {
        try (TestDatabase database = TestDatabase.upTo("postgresql".equals(kind), "31")) {
            database.execute(legacyEntry("tenant_acme", "invoice_paid:in_7"), legacyEntry("tenant_acme", "refund:re_7"),
                    legacyEntry("tenant_globex", "invoice_paid:in_7"), legacyEntry("tenant_initech", "invoice_paid:in_7"));
            database.migrate();
            assertEquals(List.of("tenant_acme | invoice_paid:in_7 | true", "tenant_acme | refund:re_7 | true",
                    "tenant_globex | invoice_paid:in_7 | false", "tenant_initech | invoice_paid:in_7 | false"),
                    database.rows("SELECT tenant_id, business_key, cross_tenant_copy = 0 FROM journal_entry"
                            + " ORDER BY entry_id"));
            assertEquals(2, database.count("SELECT COUNT(*) FROM journal_entry WHERE cross_tenant_copy = entry_id"));

            assertFalse(post(database, "tenant_globex", "invoice_paid:in_7"), "a copy's ledger holds the fact");
            assertFalse(post(database, "tenant_acme", "invoice_paid:in_7"));
            assertThrows(CrossTenantPostingException.class, () -> post(database, "tenant_umbrella", "invoice_paid:in_7"));
            assertThrows(CrossTenantPostingException.class, () -> post(database, "tenant_globex", "refund:re_7"));
            // nor can a new entry pass itself off as one of the old copies
            assertRefused(database, "INSERT INTO journal_entry (entry_id, tenant_id, currency, business_key, posted_at,"
                    + " cross_tenant_copy) VALUES (900, 'tenant_umbrella', 'USD', 'invoice_paid:in_7', CURRENT_TIMESTAMP,"
                    + " 900)", "2351", "ck_journal_entry_copy"); // check_violation: 23514 on PostgreSQL, 23513 on H2
            assertEquals(4, database.count("SELECT COUNT(*) FROM journal_entry"));
        }
    }

    private static String legacyEntry(String tenant, String key) {
        return "INSERT INTO journal_entry (tenant_id, currency, business_key, source_event_id, posted_at, object_id)"
                + " VALUES ('" + tenant + "', 'USD', '" + key + "', 'evt_old', CURRENT_TIMESTAMP, '"
                + key.substring(key.indexOf(':') + 1) + "')";
    }

    private static void assertRefused(TestDatabase database, String sql, String sqlState, String message) {
        SQLException refused = assertThrows(SQLException.class, () -> database.execute(sql), sql);
        assertTrue(sqlState(refused).startsWith(sqlState), sqlState(refused) + " " + refused.getMessage());
        assertTrue(refused.getMessage().contains(message), refused.getMessage());
    }

    /** The database's own SQLSTATE: H2 hands a trigger's exception on inside one of its own. */
    private static String sqlState(SQLException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && !sql.getSQLState().startsWith("9")) {
                return sql.getSQLState();
            }
        }
        return failure.getSQLState();
    }
}
