package io.billing.stripe.view;

import com.google.gson.JsonObject;

import java.util.List;

/**
 * A Stripe payment intent ({@code object: payment_intent}). Its charge is {@code latest_charge} since
 * {@code 2022-11-15}; before, the {@code charges} list (newest first). It named its {@code invoice} until
 * {@code 2025-03-31.basil}.
 */
public final class PaymentIntentView extends StripeObjectView {

    private PaymentIntentView(JsonObject json) {
        super(requireType(json, "payment_intent"));
    }

    public static PaymentIntentView of(JsonObject json) {
        return new PaymentIntentView(json);
    }

    /** The latest charge: {@code latest_charge}, else the newest of {@code charges}; or null (none yet). */
    public String latestCharge() {
        String latest = Json.reference(json(), "latest_charge");
        if (latest != null) {
            return latest;
        }
        List<JsonObject> charges = Json.objects(json(), "charges");
        return charges.isEmpty() ? null : Json.text(charges.get(0), "id");
    }

    /** The invoice it paid: named in API versions before basil only; null since. */
    public String invoice() {
        return Json.reference(json(), "invoice");
    }

    /** {@code amount}: what it asks to be paid; or null. */
    public Amount amount() {
        return amount("amount");
    }

    /** {@code last_payment_error.message}: why its last try failed, in Stripe's words; or null. */
    public String lastPaymentErrorMessage() {
        return Json.text(json(), "last_payment_error", "message");
    }

    /** {@code amount_received}, or null. */
    public Amount amountReceived() {
        return amount("amount_received");
    }
}
