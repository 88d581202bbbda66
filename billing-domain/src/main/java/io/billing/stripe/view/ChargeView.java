package io.billing.stripe.view;

import com.google.gson.JsonObject;

/**
 * A Stripe charge ({@code object: charge}). It named its {@code invoice} until {@code 2025-03-31.basil}; since,
 * a subscription's charge says nothing of its invoice. Its {@code refunds} list has not been in events since
 * {@code 2022-11-15}, so refunds are read from the refund events, never from here.
 */
public final class ChargeView extends StripeObjectView {

    private ChargeView(JsonObject json) {
        super(requireType(json, "charge"));
    }

    public static ChargeView of(JsonObject json) {
        return new ChargeView(json);
    }

    /** The payment intent the charge belongs to, or null (a charge made without one). */
    public String paymentIntent() {
        return Json.reference(json(), "payment_intent");
    }

    /** The invoice it paid: named in API versions before basil only; null since. */
    public String invoice() {
        return Json.reference(json(), "invoice");
    }

    /** {@code amount} charged, or null. */
    public Amount amount() {
        return amount("amount");
    }

    /** {@code amount_refunded} so far, or null. */
    public Amount amountRefunded() {
        return amount("amount_refunded");
    }

    /** {@code billing_details.name}: who paid, as they gave their name; or null. */
    public String billingName() {
        return Json.text(json(), "billing_details", "name");
    }

    /** {@code failure_message}: why a failed charge failed, in Stripe's words; or null. */
    public String failureMessage() {
        return Json.text(json(), "failure_message");
    }

    /** {@code refunded}: true once the whole amount is refunded; false otherwise or when absent. */
    public boolean fullyRefunded() {
        return Boolean.TRUE.equals(Json.flag(json(), "refunded"));
    }
}
