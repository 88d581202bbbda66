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
import io.billing.tenant.TenantId;
import jakarta.enterprise.context.Dependent;

import java.util.Set;

/**
 * Keeps one reconciliation record per payment and links every event about it. A payment is keyed by its
 * invoice ({@code invoice:<in>}, for subscription and manual invoices, their Checkout Session included),
 * else by its payment intent ({@code payment:<pi>}: one-time orders, their charge, refunds and disputes),
 * else by the Checkout Session alone ({@code session:<cs>}, a session that never got a payment). A charge or
 * payment intent of an API version before {@code 2025-03-31.basil} also names its invoice; that id is kept on
 * its record, which stays keyed by the payment intent as in every version.
 *
 * <p>Records merge, so delivery order does not matter (see {@link ReconciliationRecord#recordEvent}). The record
 * is an entity of the event's unit of work: a batch's later events of the same payment find it in the
 * persistence context. Two workers that create one record at once both insert it, and the primary key fails the
 * second, whose event runs again and merges into the first's; two that change one record at once meet its
 * version, with the same outcome. So no update is lost and re-running an event changes nothing but its retry
 * count.
 */
@Dependent
@HandlerOrder(700)
public final class ReconciliationRecorder implements EventHandler {

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

    @Override
    public Set<String> eventTypes() {
        return EVENT_TYPES;
    }

    @Override
    public void handle(HandlingContext context) {
        JsonObject o = context.json().dataObject();
        String kind = StripeObjectView.of(o).type();
        if (kind == null) {
            return;
        }
        Ids ids = Ids.of(kind, o);
        String key = ids.key();
        if (key == null) {
            return;
        }
        PaymentEvent event = new PaymentEvent(new PaymentIds(ids.invoice(), ids.paymentIntent(), ids.charge(),
                ids.session(), ids.subscription(), context.event().customerId()), ids.order(), ids.checkoutAttempt(),
                status(context.event().type(), kind, o), context.event().receivedAt(), context.event().attempt() > 1);
        TenantId tenant = TenantId.of(context.tenantId());
        ReconciliationRecords records = ReconciliationRecords.of(context.entityManager());
        ReconciliationRecord record = records.openLocked(tenant, key, event.receivedAt(), context.now());
        record.recordEvent(event, context.now());
        records.linkEvent(key, context.event().eventId());
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
            String attempt = any.metadata(CheckoutSessionView.ATTEMPT_METADATA_KEY);
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
    private static ReconciliationStatus status(String type, String kind, JsonObject o) {
        String objectStatus = StripeObjectView.of(o).status();
        return switch (kind) {
            case "invoice" -> switch (objectStatus == null ? "" : objectStatus) {
                case "paid" -> ReconciliationStatus.PAID;
                case "void" -> ReconciliationStatus.VOID;
                case "uncollectible" -> ReconciliationStatus.UNCOLLECTIBLE;
                case "open" -> type.equals("invoice.payment_failed") ? ReconciliationStatus.FAILED
                        : ReconciliationStatus.OPEN;
                default -> null;
            };
            case "checkout.session" -> type.endsWith("expired") ? ReconciliationStatus.EXPIRED
                    : type.endsWith("async_payment_failed") ? ReconciliationStatus.FAILED
                    : CheckoutSessionView.of(o).paid() ? ReconciliationStatus.PAID : ReconciliationStatus.PENDING;
            case "payment_intent" -> switch (objectStatus == null ? "" : objectStatus) {
                case "succeeded" -> ReconciliationStatus.PAID;
                case "processing" -> ReconciliationStatus.PENDING;
                case "requires_payment_method", "canceled" -> ReconciliationStatus.FAILED;
                default -> ReconciliationStatus.PENDING;
            };
            case "charge" -> type.equals("charge.refunded")
                    ? (ChargeView.of(o).fullyRefunded() ? ReconciliationStatus.REFUNDED
                    : ReconciliationStatus.PARTIALLY_REFUNDED)
                    : "succeeded".equals(objectStatus) ? ReconciliationStatus.PAID
                    : "failed".equals(objectStatus) ? ReconciliationStatus.FAILED : null;
            case "refund" -> "succeeded".equals(objectStatus) ? ReconciliationStatus.PARTIALLY_REFUNDED : null;
            case "dispute" -> "won".equals(objectStatus) ? ReconciliationStatus.DISPUTE_WON
                    : "lost".equals(objectStatus) ? ReconciliationStatus.DISPUTE_LOST : ReconciliationStatus.DISPUTED;
            default -> null;
        };
    }
}
