package io.billing.stripe.view;

import com.google.gson.JsonObject;

/**
 * One item of a subscription ({@code object: subscription_item}): its price, product, quantity and, since
 * {@code 2025-03-31.basil}, its own current period. The price is {@code price} since prices replaced plans
 * (2020); an item of an older version names only its {@code plan}, which has the same id and product.
 */
public final class SubscriptionItemView extends StripeObjectView {

    private SubscriptionItemView(JsonObject json) {
        super(requireType(json, "subscription_item"));
    }

    public static SubscriptionItemView of(JsonObject json) {
        return new SubscriptionItemView(json);
    }

    /** The price's id ({@code price.id}, else {@code plan.id}), or null. */
    public String price() {
        return Json.first(Json.text(json(), "price", "id"), Json.text(json(), "plan", "id"));
    }

    /** The product's id ({@code price.product}, else {@code plan.product}; an expanded product's id), or null. */
    public String product() {
        return Json.first(Json.reference(json(), "price", "product"), Json.reference(json(), "plan", "product"));
    }

    /** The price's {@code unit_amount} in its {@code currency}, or null (a metered or tiered price has none). */
    public Amount unitAmount() {
        Long amount = Json.first(Json.whole(json(), "price", "unit_amount"), Json.whole(json(), "plan", "amount"));
        String currency = Json.first(Json.text(json(), "price", "currency"), Json.text(json(), "plan", "currency"));
        return amount == null || currency == null ? null : new Amount(amount, currency);
    }

    /** The price's {@code recurring.interval} ({@code month}, {@code year} …; a plan's {@code interval}), or null. */
    public String interval() {
        return Json.first(Json.text(json(), "price", "recurring", "interval"), Json.text(json(), "plan", "interval"));
    }

    /** The price's {@code recurring.interval_count} (a plan's {@code interval_count}), or null. */
    public Integer intervalCount() {
        Long count = Json.first(Json.whole(json(), "price", "recurring", "interval_count"),
                Json.whole(json(), "plan", "interval_count"));
        return count == null ? null : Math.toIntExact(count);
    }

    /** {@code quantity}, or null (metered prices have none). */
    public Long quantity() {
        return Json.whole(json(), "quantity");
    }

    /** The item's {@code current_period_start}/{@code current_period_end} (basil and later), else null. */
    public Period currentPeriod() {
        return Period.of(Json.epoch(json(), "current_period_start"), Json.epoch(json(), "current_period_end"));
    }
}
