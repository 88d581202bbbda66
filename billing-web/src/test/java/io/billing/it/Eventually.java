package io.billing.it;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting for what the deployed service does in the background (its engine, its outbox), with a deadline. */
final class Eventually {

    private static final long DEADLINE_SECONDS = 30;

    private Eventually() {
    }

    /** Polls {@code condition} every 100 ms until it holds; fails naming {@code what} after 30 s. */
    static void until(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("not within " + DEADLINE_SECONDS + " s: " + what);
    }
}
