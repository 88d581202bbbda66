package io.billing.stripe.view;

import com.google.gson.JsonObject;

/**
 * A Stripe dispute ({@code object: dispute}). It has no customer and no metadata of the payment; Stripe's fee
 * for it is in the balance transaction that withdrew the disputed amount.
 */
public final class DisputeView extends PaymentReversalView {

    private DisputeView(JsonObject json) {
        super(requireType(json, "dispute"));
    }

    public static DisputeView of(JsonObject json) {
        return new DisputeView(json);
    }

    /**
     * Stripe's dispute fees in minor units: the fees of the withdrawals (negative balance transactions) among
     * {@code balance_transactions}; 0 before any.
     */
    public long withdrawalFees() {
        long fees = 0;
        for (JsonObject transaction : Json.objects(json(), "balance_transactions")) {
            Long amount = Json.whole(transaction, "amount");
            Long fee = Json.whole(transaction, "fee");
            if (amount != null && amount < 0 && fee != null) {
                fees += fee;
            }
        }
        return fees;
    }
}
