package io.billing.stripe.view;

import com.google.gson.JsonObject;

import java.util.Objects;

/**
 * What every Stripe object has: its type ({@code object}), id, status and metadata. The typed views extend it
 * and accept only an object of their own type, so that an invoice is never read as a charge.
 */
public class StripeObjectView {

    private final JsonObject json;

    StripeObjectView(JsonObject json) {
        this.json = Objects.requireNonNull(json, "a Stripe object");
    }

    /** A view of an object of any type, its type possibly unknown (null). */
    public static StripeObjectView of(JsonObject json) {
        return new StripeObjectView(json);
    }

    /** Refuses an object whose {@code object} member is not {@code type}. */
    static JsonObject requireType(JsonObject json, String type) {
        Objects.requireNonNull(json, "a Stripe " + type);
        String actual = Json.text(json, "object");
        if (!type.equals(actual)) {
            throw new IllegalArgumentException("not a Stripe " + type + ": its object is " + actual);
        }
        return json;
    }

    /** The JSON this view reads, for the views of this package. */
    final JsonObject json() {
        return json;
    }

    /** {@code object}: the object's type, e.g. {@code invoice} or {@code checkout.session}; null if absent. */
    public final String type() {
        return Json.text(json, "object");
    }

    /** The object's id, or null (an entitlement summary has none). */
    public final String id() {
        return Json.text(json, "id");
    }

    /** {@code status}, or null for objects that have none (customers, products). */
    public final String status() {
        return Json.text(json, "status");
    }

    /** {@code livemode}: true for an object of live mode; false in test mode or when absent. */
    public final boolean livemode() {
        return Boolean.TRUE.equals(Json.flag(json, "livemode"));
    }

    /**
     * The e-mail address the object names its buyer by, by its type: a customer's {@code email}; an invoice's
     * {@code customer_email}; a Checkout Session's {@code customer_details.email}, else {@code customer_email}; a
     * charge's {@code billing_details.email}, else {@code receipt_email}; a payment intent's {@code receipt_email}.
     * Null when there is none (or the type names none).
     */
    public final String buyerEmail() {
        String type = type();
        return switch (type == null ? "" : type) {
            case "customer" -> CustomerView.of(json).email();
            case "invoice" -> InvoiceView.of(json).customerEmail();
            case "checkout.session" -> CheckoutSessionView.of(json).customerEmail();
            case "charge" -> Json.first(Json.text(json, "billing_details", "email"), Json.text(json, "receipt_email"));
            case "payment_intent" -> Json.text(json, "receipt_email");
            default -> null;
        };
    }

    /** The object's own metadata value for {@code key}, or null. */
    public final String metadata(String key) {
        return Json.text(json, "metadata", key);
    }

    /**
     * The amount an object of any type is about, where it names one: {@code amount} (a charge, a refund, a credit
     * note, a payout …), else {@code amount_total} (a Checkout Session), else {@code total} (an invoice); null for
     * an object without one. For objects no typed view reads.
     */
    public final Amount anyAmount() {
        return Json.first(amount("amount"), amount("amount_total"), amount("total"));
    }

    /** An amount in minor units at {@code field} with the object's {@code currency}, or null if either is absent. */
    final Amount amount(String field) {
        Long value = Json.whole(json, field);
        String currency = Json.text(json, "currency");
        return value == null || currency == null ? null : new Amount(value, currency);
    }
}
