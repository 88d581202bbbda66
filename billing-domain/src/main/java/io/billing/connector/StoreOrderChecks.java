package io.billing.connector;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.billing.audit.AuditLog;
import io.billing.ledger.Money;
import io.billing.ledger.PaymentPostings;
import io.billing.outbox.Outbox;
import io.billing.outbox.OutboxDispatcher;
import io.billing.outbox.OutboxMessage;
import io.billing.outbox.OutboxTransport;
import io.billing.outbox.RestClientCalls;
import io.billing.platform.persistence.Transactions;
import io.billing.processing.handler.HandlingContext;
import jakarta.ws.rs.ProcessingException;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Checks each paid order against the store: when the ledger records a payment that names an internal
 * order (a one-time order, or a subscription's first invoice; renewals are not new store orders), the
 * commerce API is asked for that order through the outbox, its summary is stored on the payment's
 * reconciliation record, and the paid amount and currency are compared with the order's total.
 *
 * <p>{@code store_check} on the record: {@code MATCHED}; or an exception an operator sees and acts on,
 * {@code ORDER_NOT_FOUND}, {@code AMOUNT_MISMATCH}, {@code CURRENCY_MISMATCH}; {@code PENDING} again after an
 * operator's retry; {@code RESOLVED} after a resolution by hand, which a later lookup does not overwrite.
 * A commerce API that fails or cannot be reached is retried by the outbox and leaves the check unset.
 */
public final class StoreOrderChecks implements PaymentPostings.PaymentRecorded {

    public static final String DESTINATION = "commerce.order-lookup";

    public static final String MATCHED = "MATCHED";
    public static final String ORDER_NOT_FOUND = "ORDER_NOT_FOUND";
    public static final String AMOUNT_MISMATCH = "AMOUNT_MISMATCH";
    public static final String CURRENCY_MISMATCH = "CURRENCY_MISMATCH";
    public static final String PENDING = "PENDING";
    public static final String RESOLVED = "RESOLVED";
    public static final Set<String> EXCEPTIONS = Set.of(ORDER_NOT_FOUND, AMOUNT_MISMATCH, CURRENCY_MISMATCH);

    /** Invoices that renew or change a subscription: paid, but no new store order behind them. */
    private static final Set<String> NOT_AN_ORDER = Set.of("subscription_cycle", "subscription_update",
            "subscription_threshold");

    private static final String CHECKED_SQL = """
            UPDATE reconciliation_record SET paid_amount = ?, paid_currency = ?, store_order_id = ?, store_summary = ?,
                   store_check = ?, store_check_detail = ?, store_checked_at = ?, updated_at = ?
            WHERE payment_key = ? AND (store_check IS NULL OR store_check <> 'RESOLVED')""";
    /** A lookup is repeated from any state but while it is being sent (a delivered one included). */
    private static final Set<String> RELOOKUP_FROM = Set.of(Outbox.PENDING, OutboxDispatcher.RETRY_SCHEDULED,
            OutboxDispatcher.DELIVERED, OutboxDispatcher.FAILED);
    private static final String MARK_SQL = """
            UPDATE reconciliation_record SET store_check = ?, store_check_detail = ?, updated_at = ?
            WHERE payment_key = ?""";

    /** One record with an open exception, as operators see it. */
    public record StoreException(String paymentKey, String tenantId, String orderId, String check, String detail,
                                 Long paidAmount, String paidCurrency, Instant checkedAt) {
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
    public static OutboxTransport transport(DataSource dataSource, Clock clock, CommerceApi api) {
        return message -> deliver(dataSource, clock, api, message);
    }

    private static OutboxTransport.Result deliver(DataSource dataSource, Clock clock, CommerceApi api,
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
            outcome = new Outcome(null, null, ORDER_NOT_FOUND, "no store has order " + orderId);
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
            Transactions.inTransaction(dataSource, connection -> {
                try (PreparedStatement update = connection.prepareStatement(CHECKED_SQL)) {
                    Instant now = clock.instant();
                    update.setLong(1, paid.minorUnits());
                    update.setString(2, paid.currency().getCurrencyCode());
                    update.setString(3, outcome.storeOrderId());
                    update.setString(4, outcome.summary());
                    update.setString(5, outcome.check());
                    update.setString(6, outcome.detail());
                    update.setTimestamp(7, Timestamp.from(now));
                    update.setTimestamp(8, Timestamp.from(now));
                    update.setString(9, lookup.get("payment_key").getAsString());
                    return update.executeUpdate();
                }
            });
        } catch (SQLException e) {
            return new OutboxTransport.Result(false, false, answer.status(), "could not store the check: " + e.getMessage());
        }
        return OutboxTransport.Result.delivered(answer.status());
    }

    private record Outcome(String storeOrderId, String summary, String check, String detail) {
    }

    private static Outcome compare(String orderId, Money paid, JsonObject order) {
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
        String shown = summary.toString();
        if (shown.length() > 2000) {
            shown = shown.substring(0, 2000);
        }
        String paidCurrency = paid.currency().getCurrencyCode();
        if (!currency.equals(paidCurrency)) {
            return new Outcome(storeOrderId, shown, CURRENCY_MISMATCH,
                    "paid in " + paidCurrency + ", the store order is in " + currency);
        }
        if (paid.toMajor().compareTo(total) != 0) {
            return new Outcome(storeOrderId, shown, AMOUNT_MISMATCH,
                    "paid " + paid + ", the store order totals " + total.toPlainString() + " " + currency);
        }
        return new Outcome(storeOrderId, shown, MATCHED, null);
    }

    /** Records with an open exception, most recent first. */
    public static List<StoreException> exceptions(DataSource dataSource, int limit) throws SQLException {
        return Transactions.inTransaction(dataSource, connection -> {
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT payment_key, tenant_id, order_id, store_check, store_check_detail, paid_amount, paid_currency,
                           store_checked_at
                    FROM reconciliation_record WHERE store_check IN ('ORDER_NOT_FOUND', 'AMOUNT_MISMATCH', 'CURRENCY_MISMATCH')
                    ORDER BY updated_at DESC, payment_key LIMIT ?""")) {
                query.setInt(1, limit);
                try (ResultSet rows = query.executeQuery()) {
                    List<StoreException> found = new ArrayList<>();
                    while (rows.next()) {
                        long amount = rows.getLong(6);
                        Timestamp checked = rows.getTimestamp(8);
                        found.add(new StoreException(rows.getString(1), rows.getString(2), rows.getString(3),
                                rows.getString(4), rows.getString(5), rows.wasNull() ? null : amount, rows.getString(7),
                                checked == null ? null : checked.toInstant()));
                    }
                    return found;
                }
            }
        });
    }

    /**
     * Looks the payment's order up again now (a store that has since imported it, a corrected total);
     * false when the payment has no store check to retry, or its lookup is being sent right now.
     */
    public static boolean retry(DataSource dataSource, Clock clock, String paymentKey, String actor, String reason)
            throws SQLException {
        return act(dataSource, clock, paymentKey, actor, reason, "RETRY_STORE_CHECK", PENDING,
                "lookup retried by " + actor, (connection, now) -> Outbox.requeue(connection, messageKey(paymentKey),
                        "retried by " + actor + ": " + reason, now, RELOOKUP_FROM));
    }

    /** Closes the payment's store check by hand (an order settled outside the store, say); audited. */
    public static boolean resolve(DataSource dataSource, Clock clock, String paymentKey, String actor, String reason)
            throws SQLException {
        return act(dataSource, clock, paymentKey, actor, reason, "RESOLVE_STORE_CHECK", RESOLVED,
                "resolved by " + actor + ": " + reason, (connection, now) -> true);
    }

    /** What an action does besides marking the record; false stops it (nothing is changed). */
    @FunctionalInterface
    private interface Step {
        boolean run(Connection connection, Instant now) throws SQLException;
    }

    /** An operator's action on a store check: in one transaction, the step, the new check and the audit row. */
    private static boolean act(DataSource dataSource, Clock clock, String paymentKey, String actor, String reason,
                               String action, String check, String detail, Step step) throws SQLException {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a reason is required");
        }
        return Transactions.inTransaction(dataSource, connection -> {
            Instant now = clock.instant();
            String before = checkOf(connection, paymentKey);
            if (before == null || !step.run(connection, now)) {
                return false;
            }
            mark(connection, paymentKey, check, detail, now);
            AuditLog.record(connection, now, actor, action, "reconciliation_record", paymentKey, before, check, reason);
            return true;
        });
    }

    private static String checkOf(Connection connection, String paymentKey) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT store_check FROM reconciliation_record WHERE payment_key = ?")) {
            query.setString(1, paymentKey);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    private static void mark(Connection connection, String paymentKey, String check, String detail, Instant now)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(MARK_SQL)) {
            update.setString(1, check);
            update.setString(2, detail);
            update.setTimestamp(3, Timestamp.from(now));
            update.setString(4, paymentKey);
            update.executeUpdate();
        }
    }
}
