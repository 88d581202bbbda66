package io.billing.stripe.view;

import com.google.gson.JsonObject;

/** A Stripe Checkout Session ({@code object: checkout.session}). */
public final class CheckoutSessionView extends StripeObjectView {

    /**
     * The metadata key under which this service writes the id of its checkout attempt on every session it creates
     * (and on the subscription or payment intent the session creates): what tells such a session from one that a
     * Payment Link or someone else created.
     */
    public static final String ATTEMPT_METADATA_KEY = "checkout_attempt_id";

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

    /**
     * {@code client_reference_id}: what the creator of the session passed to identify its user, or null. On a Payment
     * Link's session it is whatever the link's URL said, so whoever opens the link chooses it.
     */
    public String clientReferenceId() {
        return Json.text(json(), "client_reference_id");
    }

    /** {@code payment_link}: the Payment Link the session was opened from, or null. */
    public String paymentLink() {
        return Json.reference(json(), "payment_link");
    }

    /** The checkout attempt this service recorded for the session ({@link #ATTEMPT_METADATA_KEY}), or null. */
    public String checkoutAttemptId() {
        return metadata(ATTEMPT_METADATA_KEY);
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
