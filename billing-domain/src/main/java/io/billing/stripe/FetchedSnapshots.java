package io.billing.stripe;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The events this service makes itself when it reads an object back from the Stripe API (to find a dispute's
 * tenant through its charge, or an operator's resync): the object wrapped as an event of type
 * {@code <the object's event prefix>.fetched}, e.g. {@code charge.fetched} or
 * {@code customer.subscription.fetched}. Stripe sends no type ending in {@code .fetched}.
 *
 * <p>Such an event is a snapshot of the object's state when it was read, not a business fact: the
 * projections that keep object state apply it (as of its read time), the ledger never posts from it.
 */
public final class FetchedSnapshots {

    public static final String SUFFIX = ".fetched";

    /** The event type prefix of each object type, where Stripe names them differently. */
    private static final Map<String, String> EVENT_PREFIX = Map.of(
            "subscription", "customer.subscription",
            "dispute", "charge.dispute");

    private FetchedSnapshots() {
    }

    /** The event type of a read snapshot of an object of this type ({@code data.object.object}). */
    public static String eventTypeOf(String objectType) {
        return EVENT_PREFIX.getOrDefault(objectType, objectType) + SUFFIX;
    }

    /** {@code types} plus the fetched type of every prefix among them, for a handler of object state. */
    public static Set<String> plusFetched(Set<String> types) {
        Set<String> all = new HashSet<>(types);
        for (String type : types) {
            all.add(type.substring(0, type.lastIndexOf('.')) + SUFFIX);
        }
        return Set.copyOf(all);
    }
}
