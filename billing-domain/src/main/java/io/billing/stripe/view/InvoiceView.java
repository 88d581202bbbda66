package io.billing.stripe.view;

import com.google.gson.JsonObject;

import java.util.List;

/**
 * A Stripe invoice ({@code object: invoice}). Where its fields have been kept:
 * <ul>
 *   <li>its subscription: {@code parent.subscription_details.subscription} since {@code 2025-03-31.basil},
 *       the top-level {@code subscription} before;</li>
 *   <li>the subscription's metadata: {@code parent.subscription_details.metadata} since basil,
 *       {@code subscription_details.metadata} in the versions just before it, and in every version the
 *       metadata of its subscription lines (Stripe copies the subscription's onto them; the only place in
 *       versions of 2020 and earlier);</li>
 *   <li>its payment: {@code payment_intent} and {@code charge} until basil removed them; since, the
 *       {@code payments} list (only when expanded, so never in an event);</li>
 *   <li>paid: {@code status} {@code paid}, and the {@code paid} flag until basil.</li>
 * </ul>
 */
public final class InvoiceView extends StripeObjectView {

    private InvoiceView(JsonObject json) {
        super(requireType(json, "invoice"));
    }

    public static InvoiceView of(JsonObject json) {
        return new InvoiceView(json);
    }

    /** The customer's id, or null. */
    public String customer() {
        return Json.reference(json(), "customer");
    }

    /** {@code customer_email}: the customer's e-mail address when the invoice was made, or null. */
    public String customerEmail() {
        return Json.text(json(), "customer_email");
    }

    /** {@code customer_name}, or null. */
    public String customerName() {
        return Json.text(json(), "customer_name");
    }

    /** Whether the invoice is paid: {@code status} {@code paid}, or the {@code paid} flag of earlier versions. */
    public boolean paid() {
        return "paid".equals(status()) || Boolean.TRUE.equals(Json.flag(json(), "paid"));
    }

    /** {@code number}, the invoice number the customer sees (e.g. {@code ACMETEST-0001}); null on a draft. */
    public String number() {
        return Json.text(json(), "number");
    }

    /** {@code billing_reason} ({@code subscription_create}, {@code subscription_cycle} …), or null. */
    public String billingReason() {
        return Json.text(json(), "billing_reason");
    }

    /** The subscription the invoice bills, or null for an invoice of no subscription. */
    public String subscription() {
        return Json.first(Json.reference(json(), "parent", "subscription_details", "subscription"),
                Json.reference(json(), "subscription"));
    }

    /** The billed subscription's metadata value for {@code key}, as the invoice carries it, or null. */
    public String subscriptionMetadata(String key) {
        String value = Json.first(Json.text(json(), "parent", "subscription_details", "metadata", key),
                Json.text(json(), "subscription_details", "metadata", key));
        if (value != null) {
            return value;
        }
        for (InvoiceLineView line : lines()) {
            if (line.fromSubscription() && line.metadata(key) != null) {
                return line.metadata(key);
            }
        }
        return null;
    }

    /** The invoice's own metadata value for {@code key}, else its subscription's; null in neither. */
    public String metadataOrSubscriptions(String key) {
        String own = metadata(key);
        return own != null ? own : subscriptionMetadata(key);
    }

    /** The lines (as the event carries them: the first page). */
    public List<InvoiceLineView> lines() {
        return Json.objects(json(), "lines").stream().map(InvoiceLineView::of).toList();
    }

    /** The payment intent that paid it: {@code payment_intent} before basil, else from {@code payments}; or null. */
    public String paymentIntent() {
        return Json.first(Json.reference(json(), "payment_intent"), payment("payment_intent"));
    }

    /** The charge that paid it: {@code charge} before basil, else from {@code payments}; or null. */
    public String charge() {
        return Json.first(Json.reference(json(), "charge"), payment("charge"));
    }

    /** {@code total}, or null. */
    public Amount total() {
        return amount("total");
    }

    /** {@code amount_paid}, or null. */
    public Amount amountPaid() {
        return amount("amount_paid");
    }

    /** {@code amount_due}, or null. */
    public Amount amountDue() {
        return amount("amount_due");
    }

    /** {@code attempt_count}: how many times Stripe tried to collect it; null when absent. */
    public Long attemptCount() {
        return Json.whole(json(), "attempt_count");
    }

    /** {@code amount_remaining}, or null. */
    public Amount amountRemaining() {
        return amount("amount_remaining");
    }

    /** The {@code payments} entry's payment of this kind: a paid one first, else any. */
    private String payment(String kind) {
        String any = null;
        for (JsonObject payment : Json.objects(json(), "payments")) {
            String id = Json.reference(payment, "payment", kind);
            if (id != null && "paid".equals(Json.text(payment, "status"))) {
                return id;
            }
            any = any == null ? id : any;
        }
        return any;
    }
}
