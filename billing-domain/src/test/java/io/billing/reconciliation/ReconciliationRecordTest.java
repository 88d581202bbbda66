package io.billing.reconciliation;

import io.billing.ledger.Money;
import io.billing.tenant.TenantId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How one payment's events merge into its record, whatever their order; without a database. */
class ReconciliationRecordTest {

    private static final TenantId ACME = TenantId.of("tenant_acme");
    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");

    private static ReconciliationRecord record() {
        return ReconciliationRecord.open("payment:pi_1", ACME, T0.plusSeconds(60), T0.plusSeconds(60));
    }

    private static PaymentEvent event(PaymentIds ids, ReconciliationStatus status, Instant received, boolean retried) {
        return new PaymentEvent(ids, null, null, status, received, retried);
    }

    @Test
    void theStatusOnlyMovesUpItsLadder() {
        ReconciliationRecord record = record();
        record.recordEvent(event(PaymentIds.none(), ReconciliationStatus.REFUNDED, T0, false), T0);
        record.recordEvent(event(PaymentIds.none(), ReconciliationStatus.PAID, T0, false), T0);
        record.recordEvent(event(PaymentIds.none(), null, T0, false), T0);
        assertEquals(ReconciliationStatus.REFUNDED, record.status());
        record.recordEvent(event(PaymentIds.none(), ReconciliationStatus.DISPUTED, T0, false), T0);
        assertEquals(ReconciliationStatus.DISPUTED, record.status());
    }

    @Test
    void anIdOnceKnownIsKeptAndTheOthersFilledIn() {
        ReconciliationRecord record = record();
        record.recordEvent(new PaymentEvent(new PaymentIds(null, "pi_1", "ch_1", null, null, "cus_1"), "ord_1", null,
                null, T0, false), T0);
        record.recordEvent(new PaymentEvent(new PaymentIds("in_1", "pi_other", null, "cs_1", null, " "), "ord_other",
                "chk_1", null, T0, false), T0);
        assertEquals(new PaymentIds("in_1", "pi_1", "ch_1", "cs_1", null, "cus_1"), record.ids());
        assertEquals("ord_1", record.orderId());
        assertEquals("chk_1", record.checkoutAttemptId());
    }

    @Test
    void theFirstReceiptIsTheEarliestAndReconciledIsWhenFirstSeenPaid() {
        ReconciliationRecord record = record();
        record.recordEvent(event(PaymentIds.none(), ReconciliationStatus.PENDING, T0.plusSeconds(90), false),
                T0.plusSeconds(100));
        assertNull(record.reconciledAt());
        record.recordEvent(event(PaymentIds.none(), ReconciliationStatus.PAID, T0.plusSeconds(10), false),
                T0.plusSeconds(200));
        record.recordEvent(event(PaymentIds.none(), ReconciliationStatus.PAID, T0.plusSeconds(20), false),
                T0.plusSeconds(300));
        assertEquals(T0.plusSeconds(10), record.firstReceivedAt());
        assertEquals(T0.plusSeconds(200), record.reconciledAt());
        assertEquals(T0.plusSeconds(300), record.updatedAt());
    }

    @Test
    void retriesAreCounted() {
        ReconciliationRecord record = record();
        record.recordEvent(event(PaymentIds.none(), null, T0, true), T0.plusSeconds(5));
        record.recordEvent(event(PaymentIds.none(), null, T0, false), T0.plusSeconds(6));
        record.recordEvent(event(PaymentIds.none(), null, T0, true), T0.plusSeconds(7));
        assertEquals(2, record.retryCount());
        assertEquals(T0.plusSeconds(7), record.lastRetryAt());
    }

    @Test
    void theModeAccountStoreAndInvoiceNumberAreKeptAndTheCommerceApisStoreWins() {
        ReconciliationRecord record = record();
        assertNull(record.mode(), "unknown until an event tells");
        record.recordEvent(new PaymentEvent(PaymentIds.none(), null, null, null, null, null, T0, false, null), T0);
        assertNull(record.mode(), "a payment event of no origin tells nothing");
        record.recordEvent(new PaymentEvent(PaymentIds.none(), null, null, "store_eu", "SHOP-0001", null, T0, false,
                new PaymentEvent.Origin("evt_1", T0, true, "acct_1")), T0);
        record.recordEvent(new PaymentEvent(PaymentIds.none(), null, null, "store_us", "SHOP-0002", null, T0, false,
                new PaymentEvent.Origin("evt_2", T0, true, null)), T0);
        assertEquals("live", record.mode());
        assertEquals("acct_1", record.accountId());
        assertEquals("store_eu", record.storeId(), "the first store the metadata named");
        assertEquals("SHOP-0001", record.invoiceNumber());
        assertTrue(record.storeChecked(Money.ofStripe(4900, "usd"), "EU-1", "store_eu_berlin", "{}",
                StoreCheck.MATCHED, null, T0));
        assertEquals("store_eu_berlin", record.storeId(), "the commerce API holds the order there");
        record.recordEvent(new PaymentEvent(PaymentIds.none(), null, null, "store_us", null, null, T0, false,
                new PaymentEvent.Origin("evt_3", T0, false, null)), T0);
        assertEquals("store_eu_berlin", record.storeId());
        assertEquals("live", record.mode());
    }

    @Test
    void anEventReportsThatThePaymentExistsAndTheStateOfItsStatus() {
        PaymentEvent.Origin origin = new PaymentEvent.Origin("evt_1", T0, false, null);
        assertEquals(List.of(PaymentState.CREATED, PaymentState.PAYMENT_PENDING), new PaymentEvent(PaymentIds.none(),
                null, null, null, null, ReconciliationStatus.OPEN, T0, false, origin).states());
        assertEquals(List.of(PaymentState.CREATED), new PaymentEvent(PaymentIds.none(), null, null, null, null, null,
                T0, false, origin).states());
        assertEquals(List.of(), event(PaymentIds.none(), ReconciliationStatus.PAID, T0, false).states(),
                "no origin, no history");
        for (ReconciliationStatus status : ReconciliationStatus.values()) {
            assertNotNull(PaymentState.of(status), status.name());
        }
        assertEquals(PaymentState.STORE_CHECK_FAILED, PaymentState.of(StoreCheck.CURRENCY_MISMATCH));
        assertNull(PaymentState.of(StoreCheck.PENDING));
    }

    @Test
    void aStoreCheckResolvedByHandStaysResolved() {
        ReconciliationRecord record = record();
        Money paid = Money.ofStripe(4900, "usd");
        assertTrue(record.storeChecked(paid, "ord_1", null, "{}", StoreCheck.AMOUNT_MISMATCH, "paid 49.00 USD", T0));
        assertEquals(paid, record.paid());
        record.markStoreCheck(StoreCheck.RESOLVED, "resolved by ops: " + "x".repeat(3000), T0.plusSeconds(1));
        assertEquals(ReconciliationRecord.MAX_TEXT_LENGTH, record.storeCheckDetail().length());
        assertFalse(record.storeChecked(paid, "ord_1", null, "{}", StoreCheck.MATCHED, null, T0.plusSeconds(2)));
        assertEquals(StoreCheck.RESOLVED, record.storeCheck());
        assertEquals(T0, record.storeCheckedAt());
    }

    @Test
    void refusesKeysAndIdsTheColumnsCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> ReconciliationRecord.open(" ", ACME, T0, T0));
        assertThrows(IllegalArgumentException.class, () -> ReconciliationRecord.open("payment:" + "p".repeat(255),
                ACME, T0, T0));
        assertThrows(IllegalArgumentException.class, () -> new PaymentIds("in_" + "1".repeat(255), null, null, null,
                null, null));
        assertNull(new PaymentIds("", null, null, null, null, null).invoiceId(), "blank is absent");
    }
}
