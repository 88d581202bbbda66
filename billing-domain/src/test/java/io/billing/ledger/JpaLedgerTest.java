package io.billing.ledger;

import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.UnitOfWork;
import io.billing.tenant.TenantId;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.billing.ledger.LedgerAccount.DISPUTES;
import static io.billing.ledger.LedgerAccount.DISPUTE_FEES;
import static io.billing.ledger.LedgerAccount.RECEIVABLES;
import static io.billing.ledger.LedgerAccount.REVENUE;
import static io.billing.ledger.LedgerAccount.STRIPE_BALANCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ledger's repository and its read queries on the real PostgreSQL: no query of one tenant shows another's
 * entries, and a fact posts once per tenant, also when two units of work post it at the same time.
 */
class JpaLedgerTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final TenantId ACME = TenantId.of("tenant_acme");
    private static final TenantId GLOBEX = TenantId.of("tenant_globex");
    private static final String SHARED_KEY = "invoice_paid:in_1";

    private static TestDatabase database;
    private static DataAccess data;

    @BeforeAll
    static void open() {
        database = TestDatabase.postgres();
        data = database.dataAccess();
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @BeforeEach
    void emptyJournal() throws SQLException {
        database.execute("DELETE FROM journal_line", "DELETE FROM journal_entry");
    }

    private static JournalEntry paid(TenantId tenant, String key, String eventId, Money amount) {
        return JournalEntry.transfer(tenant.value(), key, eventId, key + " paid", STRIPE_BALANCE, RECEIVABLES, amount);
    }

    private static boolean post(JournalEntry entry, Instant at) throws SQLException {
        return data.inTransaction(unit -> new JpaLedger(unit.entityManager()).post(entry, at));
    }

    /** Acme: three entries (one of them a dispute of three lines); Globex: one, under a key Acme also used. */
    private static void postTwoTenants() throws SQLException {
        assertTrue(post(paid(ACME, SHARED_KEY, "evt_a1", Money.ofStripe(4900, "usd")), NOW));
        assertTrue(post(JournalEntry.transfer(ACME.value(), "invoice_issued:in_2", "evt_a2", "issued",
                RECEIVABLES, REVENUE, Money.ofStripe(5000, "jpy")), NOW.plusSeconds(1)));
        assertTrue(post(new JournalEntry(ACME.value(), Money.currency("usd"), "dispute_opened:du_1", "evt_a3",
                "dispute du_1 opened", List.of(JournalEntry.Line.debit(DISPUTES, Money.ofStripe(2900, "usd")),
                JournalEntry.Line.debit(DISPUTE_FEES, Money.ofStripe(1500, "usd")),
                JournalEntry.Line.credit(STRIPE_BALANCE, Money.ofStripe(4400, "usd")))), NOW.plusSeconds(2)));
        assertTrue(post(paid(GLOBEX, SHARED_KEY, "evt_g1", Money.ofStripe(100, "eur")), NOW.plusSeconds(3)));
    }

    @Test
    void anEntryIsFoundByItsTenantAndKeyWithItsLinesAndNeverByAnotherTenant() throws Exception {
        postTwoTenants();
        data.inTransaction(unit -> {
            Ledger ledger = new JpaLedger(unit.entityManager());
            PostedEntry dispute = ledger.entry(ACME, "dispute_opened:du_1").orElseThrow();
            assertEquals(ACME, dispute.tenant());
            assertEquals("USD", dispute.currency().getCurrencyCode());
            assertEquals("evt_a3", dispute.sourceEventId());
            assertEquals("dispute du_1 opened", dispute.description());
            assertEquals("du_1", dispute.objectId());
            assertEquals(NOW.plusSeconds(2), dispute.postedAt());
            assertEquals(List.of("1 DISPUTES 29.00 USD/0.00 USD", "2 DISPUTE_FEES 15.00 USD/0.00 USD",
                    "3 STRIPE_BALANCE 0.00 USD/44.00 USD"), dispute.lines().stream().map(JpaLedgerTest::line).toList());

            assertTrue(ledger.entry(GLOBEX, "dispute_opened:du_1").isEmpty(), "Acme's fact is not Globex's");
            PostedEntry globexPaid = ledger.entry(GLOBEX, SHARED_KEY).orElseThrow();
            assertEquals(GLOBEX, globexPaid.tenant());
            assertEquals(List.of("1 STRIPE_BALANCE 1.00 EUR/0.00 EUR", "2 RECEIVABLES 0.00 EUR/1.00 EUR"),
                    globexPaid.lines().stream().map(JpaLedgerTest::line).toList(),
                    "the key Acme shares, with Globex's lines");
            assertEquals(List.of("1 STRIPE_BALANCE 49.00 USD/0.00 USD", "2 RECEIVABLES 0.00 USD/49.00 USD"),
                    ledger.entry(ACME, SHARED_KEY).orElseThrow().lines().stream().map(JpaLedgerTest::line).toList());
            return null;
        });
    }

    @Test
    void anEntrysLinesAreJoinedOnItsTenantToo() throws Exception {
        postTwoTenants();
        long acmeEntry = database.count("SELECT entry_id FROM journal_entry WHERE tenant_id = 'tenant_acme'"
                + " AND business_key = '" + SHARED_KEY + "'");
        // a row no posting can make: a line of Acme's entry in Globex's name
        database.execute("INSERT INTO journal_line (entry_id, line_no, tenant_id, currency, account, debit, credit)"
                + " VALUES (" + acmeEntry + ", 3, 'tenant_globex', 'USD', 'REVENUE', 1, 0)");
        int lines = data.read(em -> new JpaLedger(em).entry(ACME, SHARED_KEY).orElseThrow().lines().size());
        assertEquals(2, lines);
    }

    @Test
    void balancesAndTheTrialBalanceAreTheTenantsOwn() throws Exception {
        postTwoTenants();
        LedgerQueries queries = new LedgerQueries(data);
        assertEquals("{EUR={STRIPE_BALANCE=1.00 EUR, RECEIVABLES=-1.00 EUR}}", balances(queries, GLOBEX));
        assertEquals("{JPY={RECEIVABLES=5000 JPY, REVENUE=5000 JPY}, USD={STRIPE_BALANCE=5.00 USD,"
                + " RECEIVABLES=-49.00 USD, DISPUTES=29.00 USD, DISPUTE_FEES=15.00 USD}}", balances(queries, ACME));
        assertEquals(List.of(Money.ofStripe(0, "eur")), queries.trialBalance(GLOBEX.value()));
        assertEquals(List.of(Money.ofStripe(0, "jpy"), Money.ofStripe(0, "usd")), queries.trialBalance(ACME.value()));
        assertEquals("{}", balances(queries, TenantId.of("tenant_initech")));
    }

    private static String balances(LedgerQueries queries, TenantId tenant) {
        StringBuilder shown = new StringBuilder("{");
        queries.balances(tenant.value()).forEach((currency, accounts) -> {
            shown.append(shown.length() > 1 ? ", " : "").append(currency).append("={");
            accounts.values().forEach(b -> shown.append(shown.charAt(shown.length() - 1) == '{' ? "" : ", ")
                    .append(b.account()).append('=').append(b.normalBalance()));
            shown.append('}');
        });
        return shown.append('}').toString();
    }

    @Test
    void theJournalIsTheTenantsOwnNewestFirstAndPaged() throws Exception {
        postTwoTenants();
        LedgerQueries queries = new LedgerQueries(data);
        LedgerQueries.Journal first = queries.journal(ACME.value(), 0, 2);
        assertEquals(3, first.total());
        assertEquals(List.of("dispute_opened:du_1", "invoice_issued:in_2"), keys(first));
        assertEquals(List.of("DISPUTES 29.00 USD/0.00 USD", "DISPUTE_FEES 15.00 USD/0.00 USD",
                "STRIPE_BALANCE 0.00 USD/44.00 USD"), first.entries().get(0).lines().stream()
                .map(l -> l.account() + " " + l.debit() + "/" + l.credit()).toList());
        assertEquals(NOW.plusSeconds(2), first.entries().get(0).postedAt());
        assertEquals("JPY", first.entries().get(1).currency().getCurrencyCode());
        LedgerQueries.Journal second = queries.journal(ACME.value(), 1, 2);
        assertEquals(List.of(SHARED_KEY), keys(second));
        assertEquals("evt_a1", second.entries().get(0).sourceEventId());
        assertEquals(List.of(), keys(queries.journal(ACME.value(), 2, 2)));

        LedgerQueries.Journal globex = queries.journal(GLOBEX.value(), 0, 50);
        assertEquals(1, globex.total());
        assertEquals(List.of(SHARED_KEY), keys(globex));
        assertEquals("evt_g1", globex.entries().get(0).sourceEventId());
        assertEquals(List.of("STRIPE_BALANCE 1.00 EUR/0.00 EUR", "RECEIVABLES 0.00 EUR/1.00 EUR"),
                globex.entries().get(0).lines().stream().map(l -> l.account() + " " + l.debit() + "/" + l.credit())
                        .toList());
        assertEquals(0, queries.journal("tenant_initech", 0, 50).total());
    }

    @Test
    void aPageOfEntriesIsLoadedOnlyForItsOwnTenant() throws Exception {
        postTwoTenants();
        List<Long> acmeIds = data.read(em -> em.createNamedQuery(PostedEntry.NEWEST_IDS, Long.class)
                .setParameter("tenant", ACME).getResultList());
        assertEquals(3, acmeIds.size());
        assertEquals(List.of(), data.read(em -> em.createNamedQuery(PostedEntry.WITH_LINES, PostedEntry.class)
                .setParameter("tenant", GLOBEX).setParameter("ids", acmeIds).getResultList()),
                "Acme's entry ids in Globex's name");
    }

    private static List<String> keys(LedgerQueries.Journal journal) {
        return journal.entries().stream().map(LedgerQueries.Entry::businessKey).toList();
    }

    private static String line(PostedLine line) {
        return line.lineNo() + " " + line.account() + " " + line.debit() + "/" + line.credit();
    }

    @Test
    void aFactPostsOncePerTenantWhateverEventReportsIt() throws Exception {
        assertTrue(post(paid(ACME, SHARED_KEY, "evt_1", Money.ofStripe(4900, "usd")), NOW));
        assertFalse(post(paid(ACME, SHARED_KEY, "evt_2", Money.ofStripe(4900, "usd")), NOW.plusSeconds(1)));
        assertFalse(post(paid(ACME, SHARED_KEY, "evt_3", Money.ofStripe(1, "usd")), NOW), "even with another amount");
        data.inTransaction(unit -> {
            JpaLedger ledger = new JpaLedger(unit.entityManager());
            assertTrue(ledger.post(paid(ACME, "invoice_paid:in_2", "evt_4", Money.ofStripe(100, "usd")), NOW));
            assertFalse(ledger.post(paid(ACME, "invoice_paid:in_2", "evt_5", Money.ofStripe(100, "usd")), NOW),
                    "twice in one unit of work, before its lines are flushed");
            return null;
        });
        assertEquals(List.of("invoice_paid:in_1 | evt_1 | 2", "invoice_paid:in_2 | evt_4 | 2"), database.rows(
                "SELECT e.business_key, e.source_event_id, COUNT(*) FROM journal_entry e JOIN journal_line l"
                        + " ON l.entry_id = e.entry_id GROUP BY e.business_key, e.source_event_id ORDER BY 1"));
    }

    @Test
    void twoUnitsOfWorkPostingOneFactAtOnceMakeOneEntry() throws Exception {
        assertEquals(List.of("evt_first | 2"), raceForOneFact(true));
    }

    @Test
    void whenTheFirstOfTwoConcurrentPostingsRollsBackTheSecondPostsTheFact() throws Exception {
        assertEquals(List.of("evt_second | 2"), raceForOneFact(false));
    }

    /**
     * One unit of work posts a fact and holds its transaction open; a second posts the same fact and waits on the
     * first's claim; then the first commits or rolls back. Returns the entries of the fact with their line counts.
     */
    private static List<String> raceForOneFact(boolean firstCommits) throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (UnitOfWork first = data.begin()) {
            assertTrue(new JpaLedger(first.entityManager()).post(paid(ACME, SHARED_KEY, "evt_first",
                    Money.ofStripe(4900, "usd")), NOW));
            first.flush();
            CompletableFuture<Integer> secondBackend = new CompletableFuture<>();
            Future<Boolean> second = other.submit(() -> data.inTransaction(unit -> {
                secondBackend.complete(backendPid(unit.connection()));
                return new JpaLedger(unit.entityManager()).post(paid(ACME, SHARED_KEY, "evt_second",
                        Money.ofStripe(4900, "usd")), NOW);
            }));
            awaitBlockedBy(secondBackend.get(10, TimeUnit.SECONDS), backendPid(first.connection()));
            if (firstCommits) {
                first.commit();
            } else {
                first.rollback();
            }
            assertEquals(!firstCommits, second.get(10, TimeUnit.SECONDS),
                    "the second posts only if the first did not");
        } finally {
            other.shutdownNow();
        }
        return database.rows("SELECT e.source_event_id, COUNT(*) FROM journal_entry e JOIN journal_line l"
                + " ON l.entry_id = e.entry_id WHERE e.business_key = '" + SHARED_KEY + "' GROUP BY e.source_event_id");
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT pg_backend_pid()");
             ResultSet row = query.executeQuery()) {
            row.next();
            return row.getInt(1);
        }
    }

    /** Waits until PostgreSQL says the backend {@code waiting} waits for a lock the backend {@code holder} holds. */
    private static void awaitBlockedBy(int waiting, int holder) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (Connection observer = database.dataSource().getConnection();
             PreparedStatement blockers = observer.prepareStatement("SELECT ? = ANY (pg_blocking_pids(?))")) {
            blockers.setInt(1, holder);
            blockers.setInt(2, waiting);
            while (System.nanoTime() < deadline) {
                try (ResultSet row = blockers.executeQuery()) {
                    row.next();
                    if (row.getBoolean(1)) {
                        return;
                    }
                }
                TimeUnit.MILLISECONDS.sleep(10);
            }
        }
        throw new AssertionError("the second posting never waited for the first");
    }
}
