package io.billing.reconciliation;

import com.google.gson.JsonObject;
import io.billing.processing.handler.EventHandler;
import io.billing.processing.handler.HandlerOrder;
import io.billing.processing.handler.HandlingContext;
import io.billing.processing.handler.InboxWorkItem;
import io.billing.ledger.Money;
import io.billing.stripe.view.Amount;
import io.billing.stripe.view.ChargeView;
import io.billing.stripe.view.CheckoutSessionView;
import io.billing.stripe.view.InvoiceView;
import io.billing.stripe.view.PaymentIntentView;
import io.billing.stripe.view.PaymentLink;
import io.billing.stripe.view.StripeObjectView;
import io.billing.tenant.TenantId;
import jakarta.enterprise.context.Dependent;

import java.util.Set;

/**
 * Keeps one reconciliation record per payment, links every event about it and writes its history. A payment is keyed
 * as {@link PaymentLink} says: by its invoice ({@code invoice:<in>}, for subscription and manual invoices, their
 * Checkout Session and credit notes included), else by its payment intent ({@code payment:<pi>}: one-time orders,
 * their charge, refunds and disputes), else by the Checkout Session alone ({@code session:<cs>}, a session that never
 * got a payment). The ledger files the payment's postings under the same key.
 *
 * <p>Records merge, so delivery order does not matter (see {@link ReconciliationRecord#recordEvent}); so does the
 * history, which keeps each state at the earliest Stripe time any event reported it. The record is an entity of the
 * event's unit of work, opened and locked per event ({@link ReconciliationRecords#openLocked}): a batch's later events
 * of the same payment find it in the persistence context, and two workers that reach one payment at once take turns.
 * So no update is lost and re-running an event changes nothing but its retry count.
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
            "charge.dispute.created", "charge.dispute.updated", "charge.dispute.closed",
            "credit_note.created", "credit_note.updated", "credit_note.voided");

    /** The metadata keys the application puts its ids under (see io.billing.checkout). */
    static final String ORDER_KEY = "order_id";
    static final String ATTEMPT_KEY = "checkout_attempt_id";
    static final String STORE_KEY = "store_id";

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
        PaymentLink link = PaymentLink.of(o);
        String key = link.key();
        if (key == null) {
            return;
        }
        InboxWorkItem item = context.event();
        PaymentEvent event = new PaymentEvent(new PaymentIds(link.invoice(), link.paymentIntent(), link.charge(),
                link.session(), link.subscription(), item.customerId()), order(kind, o),
                StripeObjectView.of(o).metadata(ATTEMPT_KEY), StripeObjectView.of(o).metadata(STORE_KEY),
                "invoice".equals(kind) ? InvoiceView.of(o).number() : null, status(item.type(), kind, o),
                item.receivedAt(), item.attempt() > 1,
                new PaymentEvent.Origin(item.eventId(), item.created(), item.livemode(), item.account()));
        TenantId tenant = TenantId.of(context.tenantId());
        ReconciliationRecords records = ReconciliationRecords.of(context.entityManager());
        Money amount = amount(kind, o);
        boolean own = key.equals(ownKey(kind, o));
        records.openLocked(tenant, key, event.receivedAt(), context.now(), record -> {
            record.recordEvent(event, context.now());
            if (amount != null) {
                record.amountReported(amount, own);
            }
        });
        records.linkEvent(key, item.eventId());
        records.recordHistory(key, event.states(), item.created(), item.eventId());
    }

    /**
     * What the object says the payment amounts to: an invoice's total, a payment intent's or a charge's amount, a
     * session's total; null for objects that are not the payment (a refund, a dispute, a credit note) and for an amount
     * in what is no currency, which the payment's other objects will tell.
     */
    private static Money amount(String kind, JsonObject o) {
        Amount amount = switch (kind) {
            case "invoice" -> InvoiceView.of(o).total();
            case "payment_intent" -> PaymentIntentView.of(o).amount();
            case "charge" -> ChargeView.of(o).amount();
            case "checkout.session" -> CheckoutSessionView.of(o).amountTotal();
            default -> null;
        };
        try {
            return amount == null ? null : Money.ofStripe(amount.minorUnits(), amount.currency());
        } catch (IllegalArgumentException noCurrency) {
            return null;
        }
    }

    /** The key of the payment this object is the payment's own of (it asks for the money); null for other kinds. */
    private static String ownKey(String kind, JsonObject o) {
        String id = StripeObjectView.of(o).id();
        return switch (kind) {
            case "invoice" -> PaymentLink.INVOICE_KEY + id;
            case "payment_intent" -> PaymentLink.PAYMENT_KEY + id;
            case "checkout.session" -> PaymentLink.SESSION_KEY + id;
            default -> null;
        };
    }

    /** The internal order: the object's metadata, or for an invoice its subscription's. */
    private static String order(String kind, JsonObject o) {
        String own = StripeObjectView.of(o).metadata(ORDER_KEY);
        return own == null && "invoice".equals(kind) ? InvoiceView.of(o).subscriptionMetadata(ORDER_KEY) : own;
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
