package io.billing.connector;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.billing.audit.AuditEntry;
import io.billing.audit.JpaAuditLog;
import io.billing.ledger.Money;
import io.billing.ledger.PaymentPostings;
import io.billing.outbox.Outbox;
import io.billing.outbox.OutboxDispatcher;
import io.billing.outbox.OutboxMessage;
import io.billing.outbox.OutboxTransport;
import io.billing.outbox.RestClientCalls;
import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.DatabaseFailures;
import io.billing.processing.handler.HandlingContext;
import io.billing.reconciliation.PaymentState;
import io.billing.reconciliation.ReconciliationRecord;
import io.billing.reconciliation.ReconciliationRecords;
import io.billing.reconciliation.StoreCheck;
import io.billing.tenant.TenantId;
import jakarta.ws.rs.ProcessingException;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Checks each paid order against the store: when the ledger records a payment that names an internal
 * order (a one-time order, or a subscription's first invoice; renewals are not new store orders), the
 * commerce API is asked for that order through the outbox, its summary is stored on the payment's
 * reconciliation record, and the paid amount and currency are compared with the order's total.
 *
 * <p>The record's {@link StoreCheck}: {@code MATCHED}; or an exception an operator sees and acts on,
 * {@code ORDER_NOT_FOUND}, {@code AMOUNT_MISMATCH}, {@code CURRENCY_MISMATCH}; {@code PENDING} again after an
 * operator's retry; {@code RESOLVED} after a resolution by hand, which a later lookup does not overwrite.
 * A commerce API that fails or cannot be reached is retried by the outbox and leaves the check unset.
 *
 * <p>The delivery and the operators' actions run outside the engine: each changes the record in a unit of work of
 * its own, with the record locked, so that an event of the same payment processed meanwhile waits for it (and
 * then fails on the record's version and runs again) rather than the other way round.
 */
public final class StoreOrderChecks implements PaymentPostings.PaymentRecorded {

    public static final String DESTINATION = "commerce.order-lookup";

    /** Invoices that renew or change a subscription: paid, but no new store order behind them. */
    private static final Set<String> NOT_AN_ORDER = Set.of("subscription_cycle", "subscription_update",
            "subscription_threshold");

    /** A lookup is repeated from any state but while it is being sent (a delivered one included). */
    private static final Set<String> RELOOKUP_FROM = Set.of(Outbox.PENDING, OutboxDispatcher.RETRY_SCHEDULED,
            OutboxDispatcher.DELIVERED, OutboxDispatcher.FAILED);

    /**
     * One record with an open exception, as operators see it: with the mode, the Connect account and the store the
     * payment came from.
     */
    public record StoreException(String paymentKey, String tenantId, String orderId, StoreCheck check, String detail,
                                 Long paidAmount, String paidCurrency, Instant checkedAt, String mode,
                                 String accountId, String storeId, String storeOrderId) {

        static StoreException of(ReconciliationRecord record) {
            Money paid = record.paid();
            return new StoreException(record.paymentKey(), record.tenant().value(), record.orderId(),
                    record.storeCheck(), record.storeCheckDetail(), paid == null ? null : paid.minorUnits(),
                    paid == null ? null : paid.currency().getCurrencyCode(), record.storeCheckedAt(), record.mode(),
                    record.accountId(), record.storeId(), record.storeOrderId());
        }
    }

    /** The lookup message's key for a payment. */
    public static String messageKey(String paymentKey) {
        return "commerce:" + paymentKey;
    }

    @Override
    public void recorded(HandlingContext context, PaymentPostings.RecordedPayment payment) throws SQLException {
        if (payment.orderId() == null
                || payment.billingReason() != null && NOT_AN_ORDER.contains(payment.billingReason())) {
            return;
        }
        JsonObject lookup = new JsonObject();
        lookup.addProperty("payment_key", payment.reconciliationKey());
        lookup.addProperty("order_id", payment.orderId());
        lookup.addProperty("amount", payment.amount().minorUnits());
        lookup.addProperty("currency", payment.amount().currency().getCurrencyCode());
        context.send(DESTINATION, messageKey(payment.reconciliationKey()), lookup.toString());
    }

    /** Looks orders up through the commerce API and writes the outcome on the records. */
    public static OutboxTransport transport(DataAccess data, Clock clock, CommerceApi api) {
        return message -> deliver(data, clock, api, message);
    }

    private static OutboxTransport.Result deliver(DataAccess data, Clock clock, CommerceApi api,
                                                  OutboxMessage message) {
        JsonObject lookup = JsonParser.parseString(message.payload()).getAsJsonObject();
        String orderId = lookup.get("order_id").getAsString();
        Money paid = Money.ofStripe(lookup.get("amount").getAsLong(), lookup.get("currency").getAsString());
        RestClientCalls.Answer answer;
        try {
            answer = RestClientCalls.answer(m -> api.order(orderId), message);
        } catch (ProcessingException e) {
            return RestClientCalls.unreachable(CommerceApi.CONFIG_KEY, e);
        }
        Outcome outcome;
        if (answer.status() == 404) {
            outcome = new Outcome(null, null, null, StoreCheck.ORDER_NOT_FOUND, "no store has order " + orderId);
        } else if (answer.status() == 200) {
            try {
                outcome = compare(orderId, paid, JsonParser.parseString(answer.body()).getAsJsonObject());
            } catch (RuntimeException e) {
                return new OutboxTransport.Result(false, false, 200, "the commerce API's answer for order " + orderId
                        + " is not an order: " + e.getMessage());
            }
        } else {
            return OutboxTransport.Result.ofHttpStatus(answer.status(), CommerceApi.CONFIG_KEY);
        }
        try {
            store(data, clock, message.tenantId(), lookup.get("payment_key").getAsString(), paid, outcome);
        } catch (SQLException | RuntimeException e) {
            return new OutboxTransport.Result(false, false, answer.status(), "could not store the check: " + e.getMessage());
        }
        return OutboxTransport.Result.delivered(answer.status());
    }

    /** @param storeId the store the commerce API holds the order in, or null */
    record Outcome(String storeOrderId, String storeId, String summary, StoreCheck check, String detail) {
    }

    /**
     * Writes a lookup's outcome on the tenant's record of the payment, and its state in the payment's history; a
     * record resolved by hand, or one that is not the tenant's, is left as it is.
     */
    private static boolean store(DataAccess data, Clock clock, String tenantId, String paymentKey, Money paid,
                                 Outcome outcome) throws SQLException {
        TenantId tenant = TenantId.ofNullable(tenantId);
        if (tenant == null) {
            return false;
        }
        return DatabaseFailures.inTransaction(data, unit -> {
            ReconciliationRecords records = ReconciliationRecords.of(unit.entityManager());
            Instant now = clock.instant();
            boolean stored = records.lock(tenant, paymentKey)
                    .map(record -> record.storeChecked(paid, outcome.storeOrderId(), outcome.storeId(),
                            outcome.summary(), outcome.check(), outcome.detail(), now))
                    .orElse(false);
            if (stored) {
                recordHistory(records, paymentKey, outcome.check(), now);
            }
            return stored;
        });
    }

    /** The state a store check puts the payment in, in its history (the record is locked). */
    private static void recordHistory(ReconciliationRecords records, String paymentKey, StoreCheck check,
                                      Instant now) {
        PaymentState state = PaymentState.of(check);
        if (state != null) {
            records.recordHistory(paymentKey, List.of(state), now, null);
        }
    }

    /** The store order against what was paid: currency, then the total in major units (Stripe's exponent). */
    static Outcome compare(String orderId, Money paid, JsonObject order) {
        String currency = order.get("currency").getAsString().toUpperCase(Locale.ROOT);
        BigDecimal total = new BigDecimal(order.get("total").getAsString());
        JsonObject summary = new JsonObject();
        for (String field : List.of("order_id", "store_id", "status", "currency", "total")) {
            JsonElement value = order.get(field);
            if (value != null) {
                summary.add(field, value);
            }
        }
        summary.addProperty("lines", order.has("lines") ? order.getAsJsonArray("lines").size() : 0);
        String storeOrderId = order.has("order_id") ? order.get("order_id").getAsString() : orderId;
        JsonElement store = order.get("store_id");
        String storeId = store == null || store.isJsonNull() ? null : store.getAsString();
        String shown = summary.toString();
        String paidCurrency = paid.currency().getCurrencyCode();
        if (!currency.equals(paidCurrency)) {
            return new Outcome(storeOrderId, storeId, shown, StoreCheck.CURRENCY_MISMATCH,
                    "paid in " + paidCurrency + ", the store order is in " + currency);
        }
        if (paid.toMajor().compareTo(total) != 0) {
            return new Outcome(storeOrderId, storeId, shown, StoreCheck.AMOUNT_MISMATCH,
                    "paid " + paid + ", the store order totals " + total.toPlainString() + " " + currency);
        }
        return new Outcome(storeOrderId, storeId, shown, StoreCheck.MATCHED, null);
    }

    /** Records with an open exception, most recent first, of every tenant. */
    public static List<StoreException> exceptions(DataAccess data, int limit) throws SQLException {
        return DatabaseFailures.read(data, entityManager -> ReconciliationRecords.of(entityManager)
                .withStoreCheckAcrossTenants(StoreCheck.EXCEPTIONS, limit).stream().map(StoreException::of).toList());
    }

    /**
     * Looks the payment's order up again now (a store that has since imported it, a corrected total);
     * false when the payment has no store check to retry, or its lookup is being sent right now.
     */
    public static boolean retry(DataAccess data, Clock clock, String paymentKey, String actor, String reason)
            throws SQLException {
        return act(data, clock, paymentKey, actor, reason, "RETRY_STORE_CHECK", StoreCheck.PENDING,
                "lookup retried by " + actor, (connection, now) -> Outbox.requeue(connection, messageKey(paymentKey),
                        "retried by " + actor + ": " + reason, now, RELOOKUP_FROM));
    }

    /** Closes the payment's store check by hand (an order settled outside the store, say); audited. */
    public static boolean resolve(DataAccess data, Clock clock, String paymentKey, String actor, String reason)
            throws SQLException {
        return act(data, clock, paymentKey, actor, reason, "RESOLVE_STORE_CHECK", StoreCheck.RESOLVED,
                "resolved by " + actor + ": " + reason, (connection, now) -> true);
    }

    /** What an action does besides marking the record; false stops it (nothing is changed). */
    @FunctionalInterface
    private interface Step {
        boolean run(Connection connection, Instant now) throws SQLException;
    }

    /**
     * An operator's action on a store check, whatever the payment's tenant: in one transaction, the step (on the
     * outbox, plain SQL), the new check on the locked record and the audit row.
     */
    private static boolean act(DataAccess data, Clock clock, String paymentKey, String actor, String reason,
                               String action, StoreCheck check, String detail, Step step) throws SQLException {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a reason is required");
        }
        return DatabaseFailures.inTransaction(data, unit -> {
            Instant now = clock.instant();
            ReconciliationRecords records = ReconciliationRecords.of(unit.entityManager());
            Optional<ReconciliationRecord> found = records.lockAcrossTenants(paymentKey);
            StoreCheck before = found.map(ReconciliationRecord::storeCheck).orElse(null);
            if (before == null || !step.run(unit.connection(), now)) {
                return false;
            }
            found.get().markStoreCheck(check, detail, now);
            recordHistory(records, paymentKey, check, now);
            new JpaAuditLog(unit.entityManager()).append(new AuditEntry(now, actor, action, "reconciliation_record",
                    paymentKey, before.name(), check.name(), reason));
            return true;
        });
    }
}
