package io.billing.stripe.view;

import com.google.gson.JsonObject;

/** A Stripe customer ({@code object: customer}): who pays, and how to reach them. */
public final class CustomerView extends StripeObjectView {

    private CustomerView(JsonObject json) {
        super(requireType(json, "customer"));
    }

    public static CustomerView of(JsonObject json) {
        return new CustomerView(json);
    }

    /** {@code email}, or null. */
    public String email() {
        return Json.text(json(), "email");
    }

    /** {@code name}, or null. */
    public String name() {
        return Json.text(json(), "name");
    }
}
