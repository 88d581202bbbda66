package io.billing.ledger;

import io.billing.platform.persistence.UnitOfWork;
import io.billing.tenant.TenantId;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.time.Instant;
import java.util.List;

import static io.billing.ledger.LedgerAccount.RECEIVABLES;
import static io.billing.ledger.LedgerAccount.REVENUE;
import static io.billing.ledger.LedgerAccount.STRIPE_BALANCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A posted entry never changes through JPA: its entities have no setters, and a change forced into a managed
 * instance (by reflection) fails at the flush and leaves the row as it was; so does a removal. An entry that
 * does not balance is refused before anything reaches the database.
 */
class PostedEntryImmutabilityTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final TenantId ACME = TenantId.of("tenant_acme");
    private static final String KEY = "invoice_paid:in_1";
    private static final String ROWS = "SELECT e.business_key, e.description, l.line_no, l.account, l.debit, l.credit"
            + " FROM journal_entry e JOIN journal_line l ON l.entry_id = e.entry_id ORDER BY l.line_no";

    private static TestDatabase database;
    private List<String> posted;

    @BeforeAll
    static void open() {
        database = TestDatabase.postgres();
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @BeforeEach
    void postOneEntry() throws Exception {
        database.emptyLedger();
        database.dataAccess().inTransaction(unit -> new JpaLedger(unit.entityManager()).post(JournalEntry.transfer(
                ACME.value(), KEY, "evt_1", "invoice in_1 paid", STRIPE_BALANCE, RECEIVABLES,
                Money.ofStripe(4900, "usd")), NOW));
        posted = database.rows(ROWS);
        assertEquals(List.of("invoice_paid:in_1 | invoice in_1 paid | 1 | STRIPE_BALANCE | 4900 | 0",
                "invoice_paid:in_1 | invoice in_1 paid | 2 | RECEIVABLES | 0 | 4900"), posted);
    }

    @Test
    void anEntryChangedInItsManagedInstanceFailsAtTheFlushAndTheRowStays() throws Exception {
        try (UnitOfWork unit = database.dataAccess().begin()) {
            PostedEntry entry = new JpaLedger(unit.entityManager()).entry(ACME, KEY).orElseThrow();
            force(entry, "description", "a better story");
            force(entry, "businessKey", "invoice_paid:in_2");
            RuntimeException refused = assertThrows(RuntimeException.class, unit::commit);
            assertTrue(causes(refused).contains("is posted and never changes"), causes(refused));
        }
        assertEquals(posted, database.rows(ROWS));
    }

    @Test
    void aLineChangedInItsManagedInstanceFailsAtTheFlushAndTheRowStays() throws Exception {
        try (UnitOfWork unit = database.dataAccess().begin()) {
            PostedLine line = new JpaLedger(unit.entityManager()).entry(ACME, KEY).orElseThrow().lines().get(0);
            force(line, "debit", 1L);
            force(line, "account", REVENUE);
            RuntimeException refused = assertThrows(RuntimeException.class, unit::flush);
            assertTrue(causes(refused).contains("is posted and never changes"), causes(refused));
        }
        assertEquals(posted, database.rows(ROWS));
    }

    @Test
    void anEntryPostedInTheSameUnitOfWorkIsAsFixedAsAnyOther() throws Exception {
        try (UnitOfWork unit = database.dataAccess().begin()) {
            JpaLedger ledger = new JpaLedger(unit.entityManager());
            assertTrue(ledger.post(JournalEntry.transfer(ACME.value(), "refund:re_1", "evt_2", "refund re_1",
                    LedgerAccount.REFUNDS, STRIPE_BALANCE, Money.ofStripe(1500, "usd")), NOW));
            PostedEntry refund = ledger.entry(ACME, "refund:re_1").orElseThrow();
            force(refund.lines().get(0), "debit", 1L);
            RuntimeException refused = assertThrows(RuntimeException.class, unit::commit);
            assertTrue(causes(refused).contains("is posted and never changes"), causes(refused));
        }
        assertEquals(0, database.count("SELECT COUNT(*) FROM journal_entry WHERE business_key = 'refund:re_1'"),
                "the unit of work rolled back with its refused change");
        assertEquals(posted, database.rows(ROWS));
    }

    @Test
    void anEntryOrALineIsNeverRemovedThroughJpa() throws Exception {
        try (UnitOfWork unit = database.dataAccess().begin()) {
            PostedEntry entry = new JpaLedger(unit.entityManager()).entry(ACME, KEY).orElseThrow();
            assertThrows(IllegalStateException.class, () -> unit.entityManager().remove(entry.lines().get(1)));
            assertThrows(IllegalStateException.class, () -> unit.entityManager().remove(entry));
        }
        assertEquals(posted, database.rows(ROWS));
    }

    @Test
    void anUnbalancedPostingIsRefusedBeforeAnythingIsWritten() throws Exception {
        try (UnitOfWork unit = database.dataAccess().begin()) {
            Ledger ledger = new JpaLedger(unit.entityManager());
            assertThrows(IllegalArgumentException.class, () -> ledger.post(new JournalEntry(ACME.value(),
                    Money.currency("usd"), "invoice_issued:in_3", "evt_3", "off by one", List.of(
                            JournalEntry.Line.debit(RECEIVABLES, Money.ofStripe(4900, "usd")),
                            JournalEntry.Line.credit(REVENUE, Money.ofStripe(4899, "usd")))), NOW));
            unit.flush();
            assertEquals(0L, unit.entityManager().createQuery(
                    "SELECT COUNT(e) FROM PostedEntry e WHERE e.tenant = :tenant AND e.businessKey = :key", Long.class)
                    .setParameter("tenant", ACME).setParameter("key", "invoice_issued:in_3").getSingleResult(),
                    "not even in the unit's own transaction");
            unit.commit();
        }
        assertEquals(posted, database.rows(ROWS));
    }

    /** Sets a private field of a managed instance, as nothing in the application can. */
    private static void force(Object instance, String field, Object value) throws ReflectiveOperationException {
        Field declared = instance.getClass().getDeclaredField(field);
        declared.setAccessible(true);
        declared.set(instance, value);
    }

    private static String causes(Throwable thrown) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            all.append(t).append('\n');
        }
        return all.toString();
    }
}
