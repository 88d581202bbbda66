package io.billing.stripe.view;

import com.google.gson.JsonObject;

/** A Stripe price ({@code object: price}) of the merchant's catalogue. */
public final class PriceView extends StripeObjectView {

    private PriceView(JsonObject json) {
        super(requireType(json, "price"));
    }

    public static PriceView of(JsonObject json) {
        return new PriceView(json);
    }

    /** The product's id (an expanded product's too), or null. */
    public String product() {
        return Json.reference(json(), "product");
    }

    /** {@code currency}, or null. */
    public String currency() {
        return Json.text(json(), "currency");
    }

    /** {@code unit_amount} in minor units, or null (a custom or tiered price has none). */
    public Long unitAmount() {
        return Json.whole(json(), "unit_amount");
    }

    /** {@code recurring.interval} ({@code month}, {@code year} …), or null for a one-time price. */
    public String interval() {
        return Json.text(json(), "recurring", "interval");
    }

    /** {@code recurring.interval_count}, or null for a one-time price. */
    public Integer intervalCount() {
        Long count = Json.whole(json(), "recurring", "interval_count");
        return count == null ? null : Math.toIntExact(count);
    }

    /** {@code active}; false when absent. */
    public boolean active() {
        return Boolean.TRUE.equals(Json.flag(json(), "active"));
    }
}
