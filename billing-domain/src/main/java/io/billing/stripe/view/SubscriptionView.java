package io.billing.stripe.view;

import com.google.gson.JsonObject;

import java.time.Instant;
import java.util.List;

/**
 * A Stripe subscription ({@code object: subscription}).
 *
 * <p>Its current period is where the API version keeps it: on each item since {@code 2025-03-31.basil}
 * ({@code items.data[].current_period_start/_end}), at the top level of the subscription before. Items may
 * have periods of their own, so the subscription's is the span of its items' periods.
 */
public final class SubscriptionView extends StripeObjectView {

    private SubscriptionView(JsonObject json) {
        super(requireType(json, "subscription"));
    }

    public static SubscriptionView of(JsonObject json) {
        return new SubscriptionView(json);
    }

    /** The customer's id (the id of an expanded customer too), or null. */
    public String customer() {
        return Json.reference(json(), "customer");
    }

    /** The items (products and prices, each with its period since basil). */
    public List<SubscriptionItemView> items() {
        return Json.objects(json(), "items").stream().map(SubscriptionItemView::of).toList();
    }

    /**
     * The current billing period: the span of the items' periods where the items carry them (basil and
     * later), else the subscription's own {@code current_period_start}/{@code current_period_end} (earlier
     * versions); null when neither is there.
     */
    public Period currentPeriod() {
        Period items = null;
        for (SubscriptionItemView item : items()) {
            Period period = item.currentPeriod();
            items = period == null ? items : period.span(items);
        }
        return items != null ? items
                : Period.of(Json.epoch(json(), "current_period_start"), Json.epoch(json(), "current_period_end"));
    }

    /** {@code trial_end}, or null without a trial. */
    public Instant trialEnd() {
        return Json.epoch(json(), "trial_end");
    }

    /** {@code cancel_at_period_end}; false when absent. */
    public boolean cancelAtPeriodEnd() {
        return Boolean.TRUE.equals(Json.flag(json(), "cancel_at_period_end"));
    }

    /** {@code canceled_at}, or null. */
    public Instant canceledAt() {
        return Json.epoch(json(), "canceled_at");
    }

    /** {@code cancellation_details.reason} ({@code cancellation_requested}, {@code payment_failed} …), or null. */
    public String cancellationReason() {
        return Json.text(json(), "cancellation_details", "reason");
    }

    /** {@code ended_at}, or null. */
    public Instant endedAt() {
        return Json.epoch(json(), "ended_at");
    }
}
