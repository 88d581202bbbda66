package io.billing.stripe.view;

import com.google.gson.JsonObject;

/** A Stripe refund ({@code object: refund}): the refund events are where refunds are read from. */
public final class RefundView extends PaymentReversalView {

    private RefundView(JsonObject json) {
        super(requireType(json, "refund"));
    }

    public static RefundView of(JsonObject json) {
        return new RefundView(json);
    }

    /** Whether the refund has gone through ({@code status} {@code succeeded}). */
    public boolean succeeded() {
        return "succeeded".equals(status());
    }
}
