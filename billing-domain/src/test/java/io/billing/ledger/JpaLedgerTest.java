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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ledger's repository and its read queries on the real PostgreSQL: no query of one tenant shows another's
 * entries, a fact posts once per tenant, also when two units of work post it at the same time, and a fact in one
 * tenant's ledger is refused in another's, also when the two post it at the same time.
 */
class JpaLedgerTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final TenantId ACME = TenantId.of("tenant_acme");
    private static final TenantId GLOBEX = TenantId.of("tenant_globex");
    private static final String ACME_PAID = "invoice_paid:in_1";
    private static final String GLOBEX_PAID = "invoice_paid:in_9";

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
        database.emptyLedger();
    }

    private static JournalEntry paid(TenantId tenant, String key, String eventId, Money amount) {
        return JournalEntry.transfer(tenant.value(), key, eventId, key + " paid", STRIPE_BALANCE, RECEIVABLES, amount);
    }

    private static boolean post(JournalEntry entry, Instant at) throws SQLException {
        return data.inTransaction(unit -> new JpaLedger(unit.entityManager()).post(entry, at));
    }

    /** Acme: three entries (one of them a dispute of three lines); Globex: one. */
    private static void postTwoTenants() throws SQLException {
        assertTrue(post(paid(ACME, ACME_PAID, "evt_a1", Money.ofStripe(4900, "usd")), NOW));
        assertTrue(post(JournalEntry.transfer(ACME.value(), "invoice_issued:in_2", "evt_a2", "issued",
                RECEIVABLES, REVENUE, Money.ofStripe(5000, "jpy")), NOW.plusSeconds(1)));
        assertTrue(post(new JournalEntry(ACME.value(), Money.currency("usd"), "dispute_opened:du_1", "evt_a3",
                "dispute du_1 opened", List.of(JournalEntry.Line.debit(DISPUTES, Money.ofStripe(2900, "usd")),
                JournalEntry.Line.debit(DISPUTE_FEES, Money.ofStripe(1500, "usd")),
                JournalEntry.Line.credit(STRIPE_BALANCE, Money.ofStripe(4400, "usd")))), NOW.plusSeconds(2)));
        assertTrue(post(paid(GLOBEX, GLOBEX_PAID, "evt_g1", Money.ofStripe(100, "eur")), NOW.plusSeconds(3)));
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
            assertTrue(ledger.entry(ACME, GLOBEX_PAID).isEmpty(), "nor Globex's Acme's");
            PostedEntry globexPaid = ledger.entry(GLOBEX, GLOBEX_PAID).orElseThrow();
            assertEquals(GLOBEX, globexPaid.tenant());
            assertEquals(List.of("1 STRIPE_BALANCE 1.00 EUR/0.00 EUR", "2 RECEIVABLES 0.00 EUR/1.00 EUR"),
                    globexPaid.lines().stream().map(JpaLedgerTest::line).toList());
            assertEquals(List.of("1 STRIPE_BALANCE 49.00 USD/0.00 USD", "2 RECEIVABLES 0.00 USD/49.00 USD"),
                    ledger.entry(ACME, ACME_PAID).orElseThrow().lines().stream().map(JpaLedgerTest::line).toList());
            return null;
        });
    }

    @Test
    void aLineOfAnEntryInAnotherTenantsNameIsRefusedByTheDatabase() throws Exception {
        postTwoTenants();
        long acmeEntry = database.count("SELECT entry_id FROM journal_entry WHERE tenant_id = 'tenant_acme'"
                + " AND business_key = '" + ACME_PAID + "'");
        // a row no posting makes: a pair of lines of Acme's entry in Globex's name, balanced among themselves
        SQLException refused = assertThrows(SQLException.class, () -> database.execute(
                "INSERT INTO journal_line (entry_id, line_no, tenant_id, currency, account, debit, credit) VALUES ("
                        + acmeEntry + ", 3, 'tenant_globex', 'USD', 'REVENUE', 1, 0), (" + acmeEntry
                        + ", 4, 'tenant_globex', 'USD', 'RECEIVABLES', 0, 1)"));
        assertEquals("23514", refused.getSQLState(), refused.getMessage());
        assertTrue(refused.getMessage().contains("line(s) of another tenant or currency"), refused.getMessage());
        // The entry's lines are joined on its tenant too: even such a row would not show in Acme's entry.
        int lines = data.read(em -> new JpaLedger(em).entry(ACME, ACME_PAID).orElseThrow().lines().size());
        assertEquals(2, lines);
    }

    @Test
    void aFactInOneTenantsLedgerIsRefusedInAnothersAndNothingOfItIsWritten() throws Exception {
        postTwoTenants();
        List<String> before = database.rows("SELECT tenant_id, business_key, source_event_id FROM journal_entry"
                + " ORDER BY entry_id");
        CrossTenantPostingException refused = assertThrows(CrossTenantPostingException.class,
                () -> post(paid(GLOBEX, ACME_PAID, "evt_g2", Money.ofStripe(4900, "usd")), NOW.plusSeconds(4)));
        assertEquals("invoice_paid:in_1 is already in the ledger of tenant_acme; not posted for tenant_globex (a Stripe"
                + " fact counts for one tenant only: was the customer mapped to another tenant after it was posted?)",
                refused.getMessage());
        assertEquals(before, database.rows("SELECT tenant_id, business_key, source_event_id FROM journal_entry"
                + " ORDER BY entry_id"));
        assertTrue(data.read(em -> new JpaLedger(em).entry(GLOBEX, ACME_PAID)).isEmpty());

        // The database refuses it too, to whoever writes it.
        SQLException unique = assertThrows(SQLException.class, () -> database.execute("INSERT INTO journal_entry"
                + " (tenant_id, currency, business_key, posted_at) VALUES ('tenant_initech', 'USD', '" + ACME_PAID
                + "', CURRENT_TIMESTAMP)"));
        assertEquals("23505", unique.getSQLState());
        assertTrue(unique.getMessage().contains("uq_journal_entry_source"), unique.getMessage());
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
        assertEquals(List.of(ACME_PAID), keys(second));
        assertEquals("evt_a1", second.entries().get(0).sourceEventId());
        assertEquals(List.of(), keys(queries.journal(ACME.value(), 2, 2)));

        LedgerQueries.Journal globex = queries.journal(GLOBEX.value(), 0, 50);
        assertEquals(1, globex.total());
        assertEquals(List.of(GLOBEX_PAID), keys(globex));
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
        assertTrue(post(paid(ACME, ACME_PAID, "evt_1", Money.ofStripe(4900, "usd")), NOW));
        assertFalse(post(paid(ACME, ACME_PAID, "evt_2", Money.ofStripe(4900, "usd")), NOW.plusSeconds(1)));
        assertFalse(post(paid(ACME, ACME_PAID, "evt_3", Money.ofStripe(1, "usd")), NOW), "even with another amount");
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
    void severalEntriesPostInOneCallEachOnceAndEachWithItsOwnLines() throws Exception {
        assertTrue(post(paid(ACME, ACME_PAID, "evt_1", Money.ofStripe(4900, "usd")), NOW));
        JournalEntry issued = JournalEntry.transfer(ACME.value(), "invoice_issued:in_1", "evt_2", "issued",
                RECEIVABLES, REVENUE, Money.ofStripe(4900, "usd"));
        JournalEntry dispute = new JournalEntry(ACME.value(), Money.ofStripe(1, "usd").currency(), "dispute_opened:du_1",
                "evt_2", "dispute du_1 opened", List.of(JournalEntry.Line.debit(DISPUTES, Money.ofStripe(4900, "usd")),
                JournalEntry.Line.debit(DISPUTE_FEES, Money.ofStripe(1500, "usd")),
                JournalEntry.Line.credit(STRIPE_BALANCE, Money.ofStripe(6400, "usd"))));
        JournalEntry paidAgain = paid(ACME, ACME_PAID, "evt_2", Money.ofStripe(4900, "usd"));

        assertEquals(Set.of("invoice_issued:in_1", "dispute_opened:du_1"), data.inTransaction(unit ->
                new JpaLedger(unit.entityManager()).postAll(List.of(issued, paidAgain, dispute), NOW)),
                "the fact posted before is not posted again; the others are");
        assertEquals(Set.of(), data.inTransaction(unit ->
                new JpaLedger(unit.entityManager()).postAll(List.of(dispute, issued), NOW)), "a second call: none");
        assertEquals(List.of("dispute_opened:du_1 | DISPUTES | 4900 | 0", "dispute_opened:du_1 | DISPUTE_FEES | 1500 | 0",
                "dispute_opened:du_1 | STRIPE_BALANCE | 0 | 6400", "invoice_issued:in_1 | RECEIVABLES | 4900 | 0",
                "invoice_issued:in_1 | REVENUE | 0 | 4900", "invoice_paid:in_1 | STRIPE_BALANCE | 4900 | 0",
                "invoice_paid:in_1 | RECEIVABLES | 0 | 4900"), database.rows(
                "SELECT e.business_key, l.account, l.debit, l.credit FROM journal_entry e JOIN journal_line l"
                        + " ON l.entry_id = e.entry_id ORDER BY e.business_key, l.line_no"));

        JournalEntry globexIssued = JournalEntry.transfer(GLOBEX.value(), "invoice_issued:in_9", "evt_3", "issued",
                RECEIVABLES, REVENUE, Money.ofStripe(100, "usd"));
        JournalEntry globexTakesAcmes = paid(GLOBEX, ACME_PAID, "evt_3", Money.ofStripe(4900, "usd"));
        assertThrows(CrossTenantPostingException.class, () -> data.inTransaction(unit ->
                new JpaLedger(unit.entityManager()).postAll(List.of(globexIssued, globexTakesAcmes), NOW)));
        assertEquals(List.of("0"), database.rows("SELECT COUNT(*) FROM journal_entry WHERE tenant_id = 'tenant_globex'"),
                "refused as a whole: the call's other entry rolled back with it");
        assertThrows(IllegalArgumentException.class, () -> data.inTransaction(unit ->
                new JpaLedger(unit.entityManager()).postAll(List.of(globexIssued, globexIssued), NOW)),
                "one entry per fact: the lines are matched to their entry by its key");
    }

    @Test
    void twoUnitsOfWorkPostingOneFactAtOnceMakeOneEntry() throws Exception {
        assertEquals(List.of("tenant_acme | evt_first | 2"), raceForOneFact(true, ACME));
    }

    @Test
    void whenTheFirstOfTwoConcurrentPostingsRollsBackTheSecondPostsTheFact() throws Exception {
        assertEquals(List.of("tenant_acme | evt_second | 2"), raceForOneFact(false, ACME));
    }

    @Test
    void twoTenantsPostingOneFactAtOnceLeaveItToTheFirstAndTheSecondFails() throws Exception {
        assertEquals(List.of("tenant_acme | evt_first | 2"), raceForOneFact(true, GLOBEX));
    }

    @Test
    void whenTheFirstTenantsPostingRollsBackTheSecondTenantPostsTheFact() throws Exception {
        assertEquals(List.of("tenant_globex | evt_second | 2"), raceForOneFact(false, GLOBEX));
    }

    /**
     * One unit of work posts a fact for Acme and holds its transaction open; a second posts the same fact for
     * {@code secondTenant} and waits on the first's claim; then the first commits or rolls back. The second posts
     * only if the first did not: for Acme it then finds the fact posted, for another tenant it fails. Returns the
     * entries of the fact with their tenant and line counts.
     */
    private static List<String> raceForOneFact(boolean firstCommits, TenantId secondTenant) throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (UnitOfWork first = data.begin()) {
            assertTrue(new JpaLedger(first.entityManager()).post(paid(ACME, ACME_PAID, "evt_first",
                    Money.ofStripe(4900, "usd")), NOW));
            first.flush();
            CompletableFuture<Integer> secondBackend = new CompletableFuture<>();
            Future<Boolean> second = other.submit(() -> data.inTransaction(unit -> {
                secondBackend.complete(backendPid(unit.connection()));
                return new JpaLedger(unit.entityManager()).post(paid(secondTenant, ACME_PAID, "evt_second",
                        Money.ofStripe(4900, "usd")), NOW);
            }));
            awaitBlockedBy(secondBackend.get(10, TimeUnit.SECONDS), backendPid(first.connection()));
            if (firstCommits) {
                first.commit();
            } else {
                first.rollback();
            }
            if (firstCommits && !secondTenant.equals(ACME)) {
                ExecutionException failed = assertThrows(ExecutionException.class,
                        () -> second.get(10, TimeUnit.SECONDS));
                assertInstanceOf(CrossTenantPostingException.class, failed.getCause());
            } else {
                assertEquals(!firstCommits, second.get(10, TimeUnit.SECONDS),
                        "the second posts only if the first did not");
            }
        } finally {
            other.shutdownNow();
        }
        return database.rows("SELECT e.tenant_id, e.source_event_id, COUNT(*) FROM journal_entry e JOIN journal_line l"
                + " ON l.entry_id = e.entry_id WHERE e.business_key = '" + ACME_PAID + "'"
                + " GROUP BY e.tenant_id, e.source_event_id");
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
