package io.billing.stripe.view;

import com.google.gson.JsonObject;

import java.util.Set;
import java.util.TreeSet;

/**
 * A customer's active entitlement summary ({@code object: entitlements.active_entitlement_summary}): the
 * features Stripe says the customer has now. It has no id of its own; the customer identifies it.
 */
public final class EntitlementSummaryView extends StripeObjectView {

    private EntitlementSummaryView(JsonObject json) {
        super(requireType(json, "entitlements.active_entitlement_summary"));
    }

    public static EntitlementSummaryView of(JsonObject json) {
        return new EntitlementSummaryView(json);
    }

    /** The customer's id, or null. */
    public String customer() {
        return Json.reference(json(), "customer");
    }

    /** The lookup keys of the active features, sorted. */
    public Set<String> featureLookupKeys() {
        Set<String> keys = new TreeSet<>();
        for (JsonObject entitlement : Json.objects(json(), "entitlements")) {
            String key = Json.text(entitlement, "lookup_key");
            if (key != null) {
                keys.add(key);
            }
        }
        return keys;
    }
}
