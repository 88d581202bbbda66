package io.billing.stripe.view;

import com.google.gson.JsonObject;

/** A Stripe product ({@code object: product}) of the merchant's catalogue. */
public final class ProductView extends StripeObjectView {

    private ProductView(JsonObject json) {
        super(requireType(json, "product"));
    }

    public static ProductView of(JsonObject json) {
        return new ProductView(json);
    }

    /** {@code name}, or null. */
    public String name() {
        return Json.text(json(), "name");
    }

    /** {@code active}; false when absent. */
    public boolean active() {
        return Boolean.TRUE.equals(Json.flag(json(), "active"));
    }
}
