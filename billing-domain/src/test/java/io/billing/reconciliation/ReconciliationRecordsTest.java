package io.billing.reconciliation;

import io.billing.ledger.Money;
import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.UnitOfWork;
import io.billing.tenant.TenantId;
import io.billing.testsupport.TestDatabase;
import jakarta.persistence.PersistenceException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reconciliation records' repository on PostgreSQL: a tenant's queries never reach another tenant's records,
 * support's queries across tenants find every tenant's, and concurrent writers never lose an update.
 */
class ReconciliationRecordsTest {

    private static final TenantId A = TenantId.of("tenant_a");
    private static final TenantId B = TenantId.of("tenant_b");
    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");

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
    void empty() throws Exception {
        database.execute("DELETE FROM reconciliation_event", "DELETE FROM reconciliation_history",
                "DELETE FROM reconciliation_record");
    }

    private static void add(TenantId tenant, String key, PaymentIds ids) throws Exception {
        data.inTransaction(unit -> {
            ReconciliationRecords records = ReconciliationRecords.of(unit.entityManager());
            records.openLocked(tenant, key, T0, T0)
                    .recordEvent(new PaymentEvent(ids, "ord_" + key, null, ReconciliationStatus.PAID, T0, false), T0);
            return null;
        });
    }

    private static PaymentIds invoice(String invoice) {
        return new PaymentIds(invoice, null, null, null, null, null);
    }

    private static PaymentIds intent(String paymentIntent) {
        return new PaymentIds(null, paymentIntent, null, null, null, null);
    }

    @Test
    void aTenantFindsAndLocksItsOwnRecordsOnly() throws Exception {
        add(A, "payment:pi_a", intent("pi_a"));
        data.inTransaction(unit -> {
            ReconciliationRecords records = ReconciliationRecords.of(unit.entityManager());
            assertEquals(A, records.find(A, "payment:pi_a").orElseThrow().tenant());
            assertTrue(records.find(B, "payment:pi_a").isEmpty(), "found through the persistence context too");
            assertTrue(records.lock(B, "payment:pi_a").isEmpty());
            assertEquals("pi_a", records.lock(A, "payment:pi_a").orElseThrow().ids().paymentIntentId());
            return null;
        });
        data.inTransaction(unit -> {
            assertTrue(ReconciliationRecords.of(unit.entityManager()).find(B, "payment:pi_a").isEmpty(),
                    "read from the database");
            return null;
        });
    }

    @Test
    void whatIsMergedAndLinkedIsWhatIsReadBack() throws Exception {
        data.inTransaction(unit -> {
            ReconciliationRecords records = ReconciliationRecords.of(unit.entityManager());
            ReconciliationRecord record = records.openLocked(A, "invoice:in_1", T0, T0);
            record.recordEvent(new PaymentEvent(new PaymentIds("in_1", "pi_1", null, null, "sub_1", "cus_1"), "ord_1",
                    "chk_1", ReconciliationStatus.PAID, T0.minusSeconds(5), true), T0.plusSeconds(1));
            records.linkEvent("invoice:in_1", "evt_2");
            records.linkEvent("invoice:in_1", "evt_1");
            records.linkEvent("invoice:in_1", "evt_1");
            return null;
        });
        data.inTransaction(unit -> {
            ReconciliationRecords.of(unit.entityManager()).linkEvent("invoice:in_1", "evt_2");
            return null;
        });
        List<ReconciliationRecord> found = data.read(entityManager -> ReconciliationRecords.of(entityManager)
                .ofStripeObjectsAcrossTenants(List.of("in_1")));
        ReconciliationRecord record = found.get(0);
        assertEquals(new PaymentIds("in_1", "pi_1", null, null, "sub_1", "cus_1"), record.ids());
        assertEquals(ReconciliationStatus.PAID, record.status());
        assertEquals(T0.minusSeconds(5), record.firstReceivedAt());
        assertEquals(T0.plusSeconds(1), record.reconciledAt());
        assertEquals(1, record.retryCount());
        assertEquals(List.of("evt_1", "evt_2"), record.eventIds(), "each event linked once");
        assertEquals(List.of("invoice:in_1 | tenant_a | PAID | 4 | ord_1 | chk_1"), database.rows(
                "SELECT payment_key, tenant_id, status, status_rank, order_id, checkout_attempt_id"
                        + " FROM reconciliation_record"));
    }

    /** What an event with everything a record keeps from one says, about the payment keyed {@code key}. */
    private static void everything(ReconciliationRecord record, Instant now) {
        record.recordEvent(new PaymentEvent(new PaymentIds("in_9", "pi_9", "ch_9", "cs_9", "sub_9", "cus_9"), "ord_9",
                "chk_9", "store_9", "ACME-0009", ReconciliationStatus.PAID, T0.minusSeconds(5), true,
                new PaymentEvent.Origin("evt_9", T0, true, "acct_9")), now);
        record.amountReported(Money.ofStripe(2_900, "usd"), true);
    }

    @Test
    void aRecordOpenedByAnEventIsWrittenAsTheEventLeavesItInOneStatementAndLaterEventsMergeOnce() throws Exception {
        String columns = "tenant_id, invoice_id, payment_intent_id, charge_id, checkout_session_id, subscription_id,"
                + " customer_id, order_id, checkout_attempt_id, store_id, invoice_number, livemode, account_id, status,"
                + " status_rank, first_received_at, reconciled_at, updated_at, retry_count, last_retry_at, amount,"
                + " currency, version";
        data.inTransaction(unit -> ReconciliationRecords.of(unit.entityManager())
                .openLocked(A, "invoice:opened", T0, T0.plusSeconds(1), record -> everything(record, T0.plusSeconds(1))));
        data.inTransaction(unit -> {
            // The same event merged into a record opened empty, as the engine did it before: written twice.
            everything(ReconciliationRecords.of(unit.entityManager()).openLocked(A, "invoice:merged", T0,
                    T0.plusSeconds(1)), T0.plusSeconds(1));
            return null;
        });
        List<String> opened = database.rows("SELECT " + columns + " FROM reconciliation_record"
                + " WHERE payment_key = 'invoice:opened'");
        List<String> merged = database.rows("SELECT " + columns + " FROM reconciliation_record"
                + " WHERE payment_key = 'invoice:merged'");
        assertEquals(merged.get(0).replaceFirst("\\| 1$", "| 0"), opened.get(0),
                "the same record, and never updated (version 0): every column the event tells is in the opening");
        assertTrue(merged.get(0).endsWith("| 1"), merged.get(0));

        // A later event (retried again) finds the record and merges once: one more retry, not two and not none.
        data.inTransaction(unit -> ReconciliationRecords.of(unit.entityManager())
                .openLocked(A, "invoice:opened", T0, T0.plusSeconds(2), record -> everything(record, T0.plusSeconds(2))));
        assertEquals(List.of("2 | 1"), database.rows(
                "SELECT retry_count, version FROM reconciliation_record WHERE payment_key = 'invoice:opened'"));
        // So does a later event in the unit of work that opened it.
        data.inTransaction(unit -> {
            ReconciliationRecords records = ReconciliationRecords.of(unit.entityManager());
            records.openLocked(A, "invoice:twice", T0, T0, record -> everything(record, T0));
            unit.entityManager().flush();
            return records.openLocked(A, "invoice:twice", T0, T0, record -> everything(record, T0));
        });
        assertEquals(List.of("2 | 1"), database.rows(
                "SELECT retry_count, version FROM reconciliation_record WHERE payment_key = 'invoice:twice'"));
    }

    @Test
    void theTraceFindsRecordsByAnyOfTheirStripeIdsWhateverTheirTenant() throws Exception {
        add(A, "invoice:in_a", invoice("in_a"));
        add(B, "payment:pi_b", new PaymentIds(null, "pi_b", "ch_b", "cs_b", null, null));
        data.read(entityManager -> {
            ReconciliationRecords records = ReconciliationRecords.of(entityManager);
            assertEquals(List.of("invoice:in_a", "payment:pi_b"), keys(records.ofStripeObjectsAcrossTenants(
                    List.of("in_a", "ch_b", "evt_none"))));
            assertEquals(List.of("payment:pi_b"), keys(records.ofStripeObjectsAcrossTenants(List.of("cs_b"))));
            assertEquals(List.of("payment:pi_b"), keys(records.ofStripeObjectsAcrossTenants(List.of("pi_b"))));
            assertEquals(List.of(), keys(records.ofStripeObjectsAcrossTenants(List.of())));
            return null;
        });
    }

    @Test
    void operatorsSeeEveryTenantsOpenStoreExceptionsMostRecentFirst() throws Exception {
        add(A, "payment:pi_mismatch", intent("pi_mismatch"));
        add(B, "payment:pi_missing", intent("pi_missing"));
        add(A, "payment:pi_matched", intent("pi_matched"));
        add(B, "payment:pi_resolved", intent("pi_resolved"));
        Money paid = Money.ofStripe(4900, "usd");
        data.inTransaction(unit -> {
            ReconciliationRecords records = ReconciliationRecords.of(unit.entityManager());
            records.lock(A, "payment:pi_mismatch").orElseThrow().storeChecked(paid, "S-1", null, "{}",
                    StoreCheck.AMOUNT_MISMATCH, "paid 49.00 USD", T0.plusSeconds(1));
            records.lock(B, "payment:pi_missing").orElseThrow().storeChecked(paid, null, null, null,
                    StoreCheck.ORDER_NOT_FOUND, "no store has it", T0.plusSeconds(2));
            records.lock(A, "payment:pi_matched").orElseThrow().storeChecked(paid, "S-3", null, "{}", StoreCheck.MATCHED,
                    null, T0.plusSeconds(3));
            records.lockAcrossTenants("payment:pi_resolved").orElseThrow().markStoreCheck(StoreCheck.RESOLVED,
                    "by hand", T0.plusSeconds(4));
            return null;
        });
        data.read(entityManager -> {
            ReconciliationRecords records = ReconciliationRecords.of(entityManager);
            assertEquals(List.of("payment:pi_missing", "payment:pi_mismatch"),
                    keys(records.withStoreCheckAcrossTenants(StoreCheck.EXCEPTIONS, 10)));
            assertEquals(List.of("payment:pi_missing"),
                    keys(records.withStoreCheckAcrossTenants(StoreCheck.EXCEPTIONS, 1)));
            assertEquals(List.of("payment:pi_resolved"),
                    keys(records.withStoreCheckAcrossTenants(Set.of(StoreCheck.RESOLVED), 10)));
            return null;
        });
        assertTrue(data.inTransaction(unit -> ReconciliationRecords.of(unit.entityManager())
                .lockAcrossTenants("payment:none")).isEmpty());
    }

    @Test
    void ofTwoWorkersChangingOneRecordTheSecondFailsInsteadOfOverwriting() throws Exception {
        add(A, "payment:pi_race", intent("pi_race"));
        try (UnitOfWork first = data.begin(); UnitOfWork second = data.begin()) {
            ReconciliationRecords.of(first.entityManager()).find(A, "payment:pi_race").orElseThrow().recordEvent(
                    new PaymentEvent(new PaymentIds(null, null, "ch_first", null, null, null), null, null,
                            ReconciliationStatus.REFUNDED, T0, false), T0);
            ReconciliationRecords.of(second.entityManager()).find(A, "payment:pi_race").orElseThrow().recordEvent(
                    new PaymentEvent(new PaymentIds(null, null, null, "cs_second", null, null), null, null,
                            ReconciliationStatus.DISPUTED, T0, false), T0);
            first.commit();
            assertThrows(PersistenceException.class, second::flush);
        }
        // The engine runs the failed event again: it merges into what the first wrote.
        data.inTransaction(unit -> {
            ReconciliationRecords.of(unit.entityManager()).find(A, "payment:pi_race").orElseThrow().recordEvent(
                    new PaymentEvent(new PaymentIds(null, null, null, "cs_second", null, null), null, null,
                            ReconciliationStatus.DISPUTED, T0, false), T0);
            return null;
        });
        assertEquals(List.of("ch_first | cs_second | DISPUTED"), database.rows("SELECT charge_id, checkout_session_id,"
                + " status FROM reconciliation_record WHERE payment_key = 'payment:pi_race'"));
    }

    @Test
    void ofTwoWorkersOpeningOneRecordTheSecondWaitsAndMergesIntoTheFirst() throws Exception {
        secondWorkerWaitsForTheFirstThenMerges("payment:pi_new", new PaymentIds(null, "pi_new", "ch_first", null, null,
                null));
        assertEquals(List.of("pi_new | ch_first | cs_second | DISPUTED | 0 | 2"), database.rows("SELECT"
                + " payment_intent_id, charge_id, checkout_session_id, status, retry_count, version"
                + " FROM reconciliation_record"));
    }

    @Test
    void ofTwoWorkersMergingIntoAnExistingRecordTheSecondWaitsForTheFirstsLockAndNeitherFails() throws Exception {
        add(A, "payment:pi_held", intent("pi_held"));
        secondWorkerWaitsForTheFirstThenMerges("payment:pi_held", new PaymentIds(null, null, "ch_first", null, null,
                null));
        assertEquals(List.of("pi_held | ch_first | cs_second | DISPUTED | 0 | 3"), database.rows("SELECT"
                + " payment_intent_id, charge_id, checkout_session_id, status, retry_count, version"
                + " FROM reconciliation_record"));
    }

    /**
     * A first worker opens (or finds) the record and merges {@code firstIds} into it, not yet flushed: only the
     * opening's insert or its locking read holds the row. A second worker's opening of the same record must wait for
     * that lock, then merge a Checkout Session into what the first committed.
     */
    private static void secondWorkerWaitsForTheFirstThenMerges(String key, PaymentIds firstIds) throws Exception {
        secondWorkerWaitsForTheFirst(records -> records.openLocked(A, key, T0, T0).recordEvent(
                        new PaymentEvent(firstIds, null, null, ReconciliationStatus.REFUNDED, T0, false), T0),
                records -> records.openLocked(A, key, T0, T0).recordEvent(
                        new PaymentEvent(new PaymentIds(null, null, null, "cs_second", null, null), null, null,
                                ReconciliationStatus.DISPUTED, T0.minusSeconds(1), false), T0));
    }

    /**
     * Runs {@code first} in a unit of work left open, then {@code second} in another worker's: the second must wait
     * for a lock the first holds, and finish once the first has committed.
     */
    private static void secondWorkerWaitsForTheFirst(Consumer<ReconciliationRecords> first,
                                                     Consumer<ReconciliationRecords> second) throws Exception {
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try (UnitOfWork unit = data.begin()) {
            first.accept(ReconciliationRecords.of(unit.entityManager()));
            Future<?> done = worker.submit(() -> data.inTransaction(other -> {
                second.accept(ReconciliationRecords.of(other.entityManager()));
                return null;
            }));
            awaitABackendWaitingForALock();
            assertFalse(done.isDone(), "the second worker waits for the first's lock");
            unit.commit();
            done.get(10, TimeUnit.SECONDS);
        } finally {
            worker.shutdownNow();
        }
    }

    @Test
    void aTenantsLockOnItsRecordHoldsAnotherWorkersLockUntilItsCommit() throws Exception {
        add(A, "payment:pi_locked", intent("pi_locked"));
        secondWorkerWaitsForTheFirst(records -> records.lock(A, "payment:pi_locked").orElseThrow(),
                records -> records.lock(A, "payment:pi_locked").orElseThrow());
    }

    @Test
    void aRecordOfAnotherTenantIsNeverMergedInto() throws Exception {
        add(A, "payment:pi_shared", intent("pi_shared"));
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> data.inTransaction(unit ->
                ReconciliationRecords.of(unit.entityManager()).openLocked(B, "payment:pi_shared", T0, T0)));
        assertTrue(refused.getMessage().contains("another tenant"), refused.getMessage());
        assertEquals(List.of("tenant_a"), database.rows("SELECT tenant_id FROM reconciliation_record"));
    }

    /** Polls, up to ten seconds, until PostgreSQL shows a session of this database waiting for a row lock. */
    private static void awaitABackendWaitingForALock() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (database.count("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock'") == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no session waited for the record's lock within 10 s");
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    private static List<String> keys(List<ReconciliationRecord> records) {
        return records.stream().map(ReconciliationRecord::paymentKey).toList();
    }
}
