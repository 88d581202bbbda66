package io.billing.stripe.view;

import com.google.gson.JsonObject;

/**
 * One line of an invoice ({@code object: line_item}). Since {@code 2025-03-31.basil} its subscription is under
 * {@code parent.subscription_item_details} and its product under {@code pricing.price_details}; before, they
 * were the top-level {@code subscription}, {@code type} and {@code price} (and only {@code plan} before
 * prices, 2020).
 */
public final class InvoiceLineView extends StripeObjectView {

    private InvoiceLineView(JsonObject json) {
        super(requireType(json, "line_item"));
    }

    public static InvoiceLineView of(JsonObject json) {
        return new InvoiceLineView(json);
    }

    /** Whether the line bills a subscription item (rather than a one-off invoice item). */
    public boolean fromSubscription() {
        return Json.object(json(), "parent", "subscription_item_details") != null
                || "subscription".equals(Json.text(json(), "type"));
    }

    /** The subscription the line bills, or null. */
    public String subscription() {
        return Json.first(Json.reference(json(), "parent", "subscription_item_details", "subscription"),
                Json.reference(json(), "subscription"));
    }

    /** The product's id, or null. */
    public String product() {
        return Json.first(Json.reference(json(), "pricing", "price_details", "product"),
                Json.reference(json(), "price", "product"), Json.reference(json(), "plan", "product"));
    }

    /** {@code period}: the service period the line covers, or null. */
    public Period period() {
        return Period.of(Json.epoch(json(), "period", "start"), Json.epoch(json(), "period", "end"));
    }
}
