package io.billing.stripe.view;

import com.google.gson.JsonObject;

/**
 * What refunds and disputes have alike: money taken back from one payment, which they name by its charge
 * and payment intent. Neither carries the payment's customer or metadata reliably (a dispute never does),
 * so what is known of them comes through that payment.
 */
public abstract class PaymentReversalView extends StripeObjectView {

    PaymentReversalView(JsonObject json) {
        super(json);
    }

    /**
     * The refund or dispute of this object, by its type; null for an object of any other type.
     */
    public static PaymentReversalView ofAnyType(JsonObject json) {
        String type = Json.text(json, "object");
        return "refund".equals(type) ? RefundView.of(json) : "dispute".equals(type) ? DisputeView.of(json) : null;
    }

    /** The charge taken back from, or null. */
    public final String charge() {
        return Json.reference(json(), "charge");
    }

    /** The payment intent taken back from, or null. */
    public final String paymentIntent() {
        return Json.reference(json(), "payment_intent");
    }

    /** The charge, else the payment intent: the payment whose arrival tells what this belongs to; or null. */
    public final String payment() {
        return Json.first(charge(), paymentIntent());
    }

    /**
     * {@code reason}: a refund's ({@code requested_by_customer}, {@code duplicate}, {@code fraudulent}) or a dispute's
     * ({@code fraudulent}, {@code product_unacceptable} …); or null.
     */
    public final String reason() {
        return Json.text(json(), "reason");
    }

    /** {@code amount} taken back, or null. */
    public final Amount amount() {
        return amount("amount");
    }
}
