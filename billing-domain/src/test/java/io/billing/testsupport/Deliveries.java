package io.billing.testsupport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Delivery orders as Stripe may produce them: any order, and some events more than once. */
public final class Deliveries {

    private Deliveries() {
    }

    /**
     * The events shuffled, then each sent once more at a random place with probability {@code duplicateShare}
     * (Stripe retries a delivery it thinks failed, and two endpoints may both forward it).
     */
    public static <T> List<T> shuffledWithDuplicates(List<T> events, Random random, double duplicateShare) {
        List<T> deliveries = new ArrayList<>(events);
        Collections.shuffle(deliveries, random);
        for (T event : events) {
            if (random.nextDouble() < duplicateShare) {
                deliveries.add(random.nextInt(deliveries.size() + 1), event);
            }
        }
        return deliveries;
    }
}
