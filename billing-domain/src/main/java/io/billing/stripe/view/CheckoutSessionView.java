package io.billing.stripe.view;

import com.google.gson.JsonObject;

/** A Stripe Checkout Session ({@code object: checkout.session}). */
public final class CheckoutSessionView extends StripeObjectView {

    private CheckoutSessionView(JsonObject json) {
        super(requireType(json, "checkout.session"));
    }

    public static CheckoutSessionView of(JsonObject json) {
        return new CheckoutSessionView(json);
    }

    /** {@code mode}: {@code payment}, {@code subscription} or {@code setup}; or null. */
    public String mode() {
        return Json.text(json(), "mode");
    }

    /** {@code payment_status}: {@code paid}, {@code unpaid} or {@code no_payment_required}; or null. */
    public String paymentStatus() {
        return Json.text(json(), "payment_status");
    }

    /** Whether the session's payment is paid. */
    public boolean paid() {
        return "paid".equals(paymentStatus());
    }

    /** {@code client_reference_id}: what the application passed to identify its user, or null. */
    public String clientReferenceId() {
        return Json.text(json(), "client_reference_id");
    }

    /** The payment intent of a session in payment mode, or null. */
    public String paymentIntent() {
        return Json.reference(json(), "payment_intent");
    }

    /** The invoice the session created (subscription mode, or payment mode with invoice creation), or null. */
    public String invoice() {
        return Json.reference(json(), "invoice");
    }

    /** The subscription the session created, or null. */
    public String subscription() {
        return Json.reference(json(), "subscription");
    }

    /** {@code amount_total}, or null. */
    public Amount amountTotal() {
        return amount("amount_total");
    }

    /** {@code customer_details.email}, what the buyer entered (older versions: {@code customer_email}), or null. */
    public String customerEmail() {
        String entered = Json.text(json(), "customer_details", "email");
        return entered != null ? entered : Json.text(json(), "customer_email");
    }

    /** {@code customer_details.name}, or null. */
    public String customerName() {
        return Json.text(json(), "customer_details", "name");
    }
}
