package io.billing.connector;

import com.google.gson.JsonObject;
import io.billing.ledger.Money;
import io.billing.outbox.Outbox;
import io.billing.platform.persistence.DataAccess;
import io.billing.reconciliation.PaymentEvent;
import io.billing.reconciliation.PaymentIds;
import io.billing.reconciliation.PaymentState;
import io.billing.reconciliation.ReconciliationRecord;
import io.billing.reconciliation.ReconciliationRecords;
import io.billing.reconciliation.ReconciliationStatus;
import io.billing.reconciliation.StateReached;
import io.billing.reconciliation.StoreCheck;
import io.billing.tenant.TenantId;
import io.billing.testsupport.MutableClock;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Operators' work on reconciliation exceptions, on PostgreSQL: every tenant's in one list, retried or resolved. */
class StoreOrderChecksTest {

    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");

    private static TestDatabase database;
    private static DataAccess data;
    private static final MutableClock CLOCK = new MutableClock(T0);

    @BeforeAll
    static void open() throws Exception {
        database = TestDatabase.postgres();
        data = database.dataAccess();
        checked("tenant_a", "pi_mismatch", StoreCheck.AMOUNT_MISMATCH, T0.plusSeconds(1));
        checked("tenant_b", "pi_missing", StoreCheck.ORDER_NOT_FOUND, T0.plusSeconds(2));
        checked("tenant_b", "pi_matched", StoreCheck.MATCHED, T0.plusSeconds(3));
        data.inTransaction(unit -> {
            ReconciliationRecords.of(unit.entityManager()).openLocked(TenantId.of("tenant_a"),
                    "payment:pi_unchecked", T0, T0);
            return new Outbox().enqueue(unit.connection(), StoreOrderChecks.DESTINATION,
                    StoreOrderChecks.messageKey("payment:pi_missing"), "tenant_b", "evt_1", "{}", T0);
        });
    }

    private static void checked(String tenant, String paymentIntent, StoreCheck check, Instant at) throws Exception {
        data.inTransaction(unit -> {
            ReconciliationRecord record = ReconciliationRecords.of(unit.entityManager()).openLocked(
                    TenantId.of(tenant), "payment:" + paymentIntent, T0, T0);
            record.recordEvent(new PaymentEvent(new PaymentIds(null, paymentIntent, null, null, null, null),
                    "ord_" + paymentIntent, null, ReconciliationStatus.PAID, T0, false), T0);
            return record.storeChecked(Money.ofStripe(4900, "usd"), "S-" + paymentIntent, null, "{}", check,
                    check == StoreCheck.MATCHED ? null : "why " + paymentIntent, at);
        });
    }

    @AfterAll
    static void close() {
        database.close();
    }

    private static StoreCheck compared(long paid, String paidIn, String total, String currency) {
        JsonObject order = new JsonObject();
        order.addProperty("order_id", "S-1");
        order.addProperty("currency", currency);
        order.addProperty("total", total);
        return StoreOrderChecks.compare("ord_1", Money.ofStripe(paid, paidIn), order).check();
    }

    /** Stripe's amounts against a store's major-unit totals, in the currencies where Stripe and ISO 4217 differ. */
    @Test
    void aStoreTotalIsComparedInStripesExponent() {
        assertEquals(StoreCheck.MATCHED, compared(100000, "isk", "1000", "ISK"), "ISK: two decimals at Stripe");
        assertEquals(StoreCheck.AMOUNT_MISMATCH, compared(100000, "isk", "100000", "ISK"));
        assertEquals(StoreCheck.MATCHED, compared(5000, "mga", "5000", "MGA"), "MGA: none at Stripe");
        assertEquals(StoreCheck.AMOUNT_MISMATCH, compared(5000, "mga", "50.00", "MGA"));
        assertEquals(StoreCheck.MATCHED, compared(10000, "ugx", "10000", "UGX"));
        assertEquals(StoreCheck.MATCHED, compared(1045, "huf", "10.45", "HUF"));
        assertEquals(StoreCheck.MATCHED, compared(150000, "twd", "1500.00", "TWD"));
        assertEquals(StoreCheck.MATCHED, compared(5120, "kwd", "5.12", "KWD"));
        assertEquals(StoreCheck.CURRENCY_MISMATCH, compared(4900, "usd", "49.00", "EUR"));
    }

    @Test
    void operatorsSeeEveryTenantsExceptionsRetryAndResolveThem() throws Exception {
        List<StoreOrderChecks.StoreException> open = StoreOrderChecks.exceptions(data, 50);
        assertEquals(List.of(new StoreOrderChecks.StoreException("payment:pi_missing", "tenant_b", "ord_pi_missing",
                        StoreCheck.ORDER_NOT_FOUND, "why pi_missing", 4900L, "USD", T0.plusSeconds(2), null, null, null,
                        "S-pi_missing"),
                new StoreOrderChecks.StoreException("payment:pi_mismatch", "tenant_a", "ord_pi_mismatch",
                        StoreCheck.AMOUNT_MISMATCH, "why pi_mismatch", 4900L, "USD", T0.plusSeconds(1), null, null, null,
                        "S-pi_mismatch")), open);

        assertTrue(StoreOrderChecks.retry(data, CLOCK, "payment:pi_missing", "ops", "store imported it"));
        assertEquals(List.of("PENDING | lookup retried by ops"), database.rows("SELECT store_check, store_check_detail"
                + " FROM reconciliation_record WHERE payment_key = 'payment:pi_missing'"));
        assertEquals(List.of("RETRY_SCHEDULED"), database.rows("SELECT status FROM outbox_message"));
        assertFalse(StoreOrderChecks.retry(data, CLOCK, "payment:pi_mismatch", "ops", "no lookup message to send"));

        assertTrue(StoreOrderChecks.resolve(data, CLOCK, "payment:pi_mismatch", "ops", "refunded the difference"));
        assertEquals(List.of(), StoreOrderChecks.exceptions(data, 50));
        assertEquals(List.of(new StateReached(PaymentState.STORE_CHECK_RESOLVED, CLOCK.instant(), null)),
                data.read(entityManager -> ReconciliationRecords.of(entityManager)
                        .byKeysAcrossTenants(List.of("payment:pi_mismatch")).get(0).history()),
                "the resolution is in the payment's history, at the resolution's time");
        assertFalse(StoreOrderChecks.resolve(data, CLOCK, "payment:pi_unchecked", "ops", "nothing to resolve"));
        assertFalse(StoreOrderChecks.resolve(data, CLOCK, "payment:none", "ops", "no such payment"));
        assertThrows(IllegalArgumentException.class,
                () -> StoreOrderChecks.resolve(data, CLOCK, "payment:pi_matched", "ops", " "));
        assertEquals(List.of("RETRY_STORE_CHECK payment:pi_missing ORDER_NOT_FOUND PENDING",
                "RESOLVE_STORE_CHECK payment:pi_mismatch AMOUNT_MISMATCH RESOLVED"), database.rows(
                "SELECT action || ' ' || target_id || ' ' || before_value || ' ' || after_value FROM audit_log"
                        + " ORDER BY audit_id"));
    }
}
