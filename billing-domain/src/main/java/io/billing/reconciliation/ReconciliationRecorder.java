package io.billing.reconciliation;

import com.google.gson.JsonObject;
import io.billing.processing.handler.EventHandler;
import io.billing.processing.handler.HandlerOrder;
import io.billing.processing.handler.HandlingContext;
import io.billing.stripe.view.ChargeView;
import io.billing.stripe.view.CheckoutSessionView;
import io.billing.stripe.view.InvoiceView;
import io.billing.stripe.view.PaymentIntentView;
import io.billing.stripe.view.PaymentReversalView;
import io.billing.stripe.view.StripeObjectView;
import jakarta.enterprise.context.Dependent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Set;

/**
 * Keeps one reconciliation record per payment and links every event about it. A payment is keyed by its
 * invoice ({@code invoice:<in>}, for subscription and manual invoices, their Checkout Session included),
 * else by its payment intent ({@code payment:<pi>}: one-time orders, their charge, refunds and disputes),
 * else by the Checkout Session alone ({@code session:<cs>}, a session that never got a payment). A charge or
 * payment intent of an API version before {@code 2025-03-31.basil} also names its invoice; that id is kept on
 * its record, which stays keyed by the payment intent as in every version.
 *
 * <p>Records merge, so delivery order does not matter: an id once known is kept, and the status only
 * moves up its ladder ({@link #RANK}); {@code reconciled_at} is when the payment was first seen paid;
 * {@code retry_count} and {@code last_retry_at} count the attempts of its events that were retries.
 */
@Dependent
@HandlerOrder(700)
public final class ReconciliationRecorder implements EventHandler {

    /** The status ladder: a later status never gives way to an earlier one. */
    static final List<String> RANK = List.of("OPEN", "PENDING", "EXPIRED", "FAILED", "PAID", "PARTIALLY_REFUNDED",
            "REFUNDED", "DISPUTED", "DISPUTE_WON", "DISPUTE_LOST", "VOID", "UNCOLLECTIBLE");

    static final Set<String> EVENT_TYPES = Set.of(
            "invoice.finalized", "invoice.paid", "invoice.payment_succeeded", "invoice.payment_failed",
            "invoice.payment_action_required", "invoice.voided", "invoice.marked_uncollectible",
            "charge.succeeded", "charge.failed", "charge.refunded",
            "payment_intent.succeeded", "payment_intent.processing", "payment_intent.payment_failed",
            "payment_intent.requires_action", "payment_intent.canceled",
            "checkout.session.completed", "checkout.session.expired",
            "checkout.session.async_payment_succeeded", "checkout.session.async_payment_failed",
            "refund.created", "refund.updated",
            "charge.dispute.created", "charge.dispute.updated", "charge.dispute.closed");

    private static final String INSERT_SQL = """
            INSERT INTO reconciliation_record (payment_key, tenant_id, status, status_rank, first_received_at,
                                               updated_at)
            VALUES (?, ?, 'OPEN', 0, ?, ?) ON CONFLICT DO NOTHING""";
    private static final String MERGE_SQL = """
            UPDATE reconciliation_record SET
                invoice_id = COALESCE(invoice_id, ?), payment_intent_id = COALESCE(payment_intent_id, ?),
                charge_id = COALESCE(charge_id, ?), checkout_session_id = COALESCE(checkout_session_id, ?),
                subscription_id = COALESCE(subscription_id, ?), customer_id = COALESCE(customer_id, ?),
                order_id = COALESCE(order_id, ?), checkout_attempt_id = COALESCE(checkout_attempt_id, ?),
                status = CASE WHEN status_rank < ? THEN ? ELSE status END,
                status_rank = CASE WHEN status_rank < ? THEN ? ELSE status_rank END,
                first_received_at = CASE WHEN first_received_at > ? THEN ? ELSE first_received_at END,
                reconciled_at = CASE WHEN reconciled_at IS NULL AND ? THEN ? ELSE reconciled_at END,
                retry_count = retry_count + ?, last_retry_at = CASE WHEN ? > 0 THEN ? ELSE last_retry_at END,
                updated_at = ?
            WHERE payment_key = ?""";
    private static final String LINK_SQL =
            "INSERT INTO reconciliation_event (payment_key, event_id) VALUES (?, ?) ON CONFLICT DO NOTHING";

    @Override
    public Set<String> eventTypes() {
        return EVENT_TYPES;
    }

    @Override
    public void handle(HandlingContext context) throws SQLException {
        JsonObject o = context.json().dataObject();
        String type = context.event().type();
        String kind = StripeObjectView.of(o).type();
        if (kind == null) {
            return;
        }
        Ids ids = Ids.of(kind, o);
        String key = ids.key();
        if (key == null) {
            return;
        }
        String status = status(type, kind, o);
        int rank = status == null ? -1 : RANK.indexOf(status);
        boolean paid = "PAID".equals(status);
        Timestamp received = Timestamp.from(context.event().receivedAt());
        Timestamp now = Timestamp.from(context.now());
        Connection connection = context.connection();
        try (PreparedStatement insert = connection.prepareStatement(INSERT_SQL)) {
            insert.setString(1, key);
            insert.setString(2, context.tenantId());
            insert.setTimestamp(3, received);
            insert.setTimestamp(4, now);
            insert.executeUpdate();
        }
        try (PreparedStatement merge = connection.prepareStatement(MERGE_SQL)) {
            int at = 1;
            for (String id : new String[] {ids.invoice(), ids.paymentIntent(), ids.charge(), ids.session(),
                    ids.subscription(), context.event().customerId(), ids.order(), ids.checkoutAttempt()}) {
                merge.setString(at++, id);
            }
            merge.setInt(at++, rank);
            merge.setString(at++, status == null ? "OPEN" : status);
            merge.setInt(at++, rank);
            merge.setInt(at++, Math.max(rank, 0));
            merge.setTimestamp(at++, received);
            merge.setTimestamp(at++, received);
            merge.setBoolean(at++, paid);
            merge.setTimestamp(at++, now);
            int retry = context.event().attempt() > 1 ? 1 : 0;
            merge.setInt(at++, retry);
            merge.setInt(at++, retry);
            merge.setTimestamp(at++, now);
            merge.setTimestamp(at++, now);
            merge.setString(at, key);
            merge.executeUpdate();
        }
        try (PreparedStatement link = connection.prepareStatement(LINK_SQL)) {
            link.setString(1, key);
            link.setString(2, context.event().eventId());
            link.executeUpdate();
        }
    }

    /**
     * The Stripe ids one object names, by the object's type.
     *
     * @param keyInvoice the invoice that keys the record: the invoice's own, or a session's; never a payment's
     */
    private record Ids(String keyInvoice, String invoice, String paymentIntent, String charge, String session,
                       String subscription, String order, String checkoutAttempt) {

        static Ids of(String kind, JsonObject o) {
            StripeObjectView any = StripeObjectView.of(o);
            String order = any.metadata("order_id");
            String attempt = any.metadata("checkout_attempt_id");
            switch (kind) {
                case "invoice" -> {
                    InvoiceView invoice = InvoiceView.of(o);
                    String orderOf = order != null ? order : invoice.subscriptionMetadata("order_id");
                    return new Ids(invoice.id(), invoice.id(), invoice.paymentIntent(), invoice.charge(), null,
                            invoice.subscription(), orderOf, attempt);
                }
                case "checkout.session" -> {
                    CheckoutSessionView session = CheckoutSessionView.of(o);
                    return new Ids(session.invoice(), session.invoice(), session.paymentIntent(), null, session.id(),
                            session.subscription(), order, attempt);
                }
                case "payment_intent" -> {
                    PaymentIntentView intent = PaymentIntentView.of(o);
                    return new Ids(null, intent.invoice(), intent.id(), intent.latestCharge(), null, null, order,
                            attempt);
                }
                case "charge" -> {
                    ChargeView charge = ChargeView.of(o);
                    return new Ids(null, charge.invoice(), charge.paymentIntent(), charge.id(), null, null, order,
                            attempt);
                }
                case "refund", "dispute" -> {
                    PaymentReversalView reversal = PaymentReversalView.ofAnyType(o);
                    return new Ids(null, null, reversal.paymentIntent(), reversal.charge(), null, null, order, attempt);
                }
                default -> {
                    return new Ids(null, null, null, null, null, null, order, attempt);
                }
            }
        }

        /** The record's payment key: the invoice, else the payment intent, else the session; null for none. */
        String key() {
            return keyInvoice != null ? "invoice:" + keyInvoice
                    : paymentIntent != null ? "payment:" + paymentIntent
                    : session != null ? "session:" + session : null;
        }
    }

    /** The status an event reports for its payment, or null when it says nothing new. */
    private static String status(String type, String kind, JsonObject o) {
        String objectStatus = StripeObjectView.of(o).status();
        return switch (kind) {
            case "invoice" -> switch (objectStatus == null ? "" : objectStatus) {
                case "paid" -> "PAID";
                case "void" -> "VOID";
                case "uncollectible" -> "UNCOLLECTIBLE";
                case "open" -> type.equals("invoice.payment_failed") ? "FAILED" : "OPEN";
                default -> null;
            };
            case "checkout.session" -> type.endsWith("expired") ? "EXPIRED"
                    : type.endsWith("async_payment_failed") ? "FAILED"
                    : CheckoutSessionView.of(o).paid() ? "PAID" : "PENDING";
            case "payment_intent" -> switch (objectStatus == null ? "" : objectStatus) {
                case "succeeded" -> "PAID";
                case "processing" -> "PENDING";
                case "requires_payment_method", "canceled" -> "FAILED";
                default -> "PENDING";
            };
            case "charge" -> type.equals("charge.refunded")
                    ? (ChargeView.of(o).fullyRefunded() ? "REFUNDED" : "PARTIALLY_REFUNDED")
                    : "succeeded".equals(objectStatus) ? "PAID" : "failed".equals(objectStatus) ? "FAILED" : null;
            case "refund" -> "succeeded".equals(objectStatus) ? "PARTIALLY_REFUNDED" : null;
            case "dispute" -> "won".equals(objectStatus) ? "DISPUTE_WON"
                    : "lost".equals(objectStatus) ? "DISPUTE_LOST" : "DISPUTED";
            default -> null;
        };
    }
}
