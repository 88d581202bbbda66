package io.billing.platform.queue;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: the n-th failure in a cycle waits {@code base × factor^(n-1)}, capped,
 * then spread by ± {@code jitter} so that events failing together do not come back together. After
 * {@code maxAttempts} attempts the work is dead-lettered. An operator's manual retry starts a new cycle.
 *
 * <p>The defaults (1 min, ×2, 6 h cap, 16 attempts) keep retrying for about 44 hours, covering the
 * better part of Stripe's own three-day delivery window; see {@link #schedule()}.
 */
public record RetryPolicy(Duration base, double factor, Duration cap, int maxAttempts, double jitter) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofMinutes(1), 2.0, Duration.ofHours(6), 16, 0.2);

    public RetryPolicy {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("retry base must be positive and no larger than the cap");
        }
        if (factor < 1.0 || maxAttempts < 1 || jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("retry factor >= 1, max attempts >= 1 and 0 <= jitter < 1 expected");
        }
    }

    /** True when a cycle that has used {@code attempts} attempts may not try again. */
    public boolean exhausted(int attempts) {
        return attempts >= maxAttempts;
    }

    /** The delay before the next attempt after the {@code failedAttempts}-th failure, without jitter. */
    public Duration nominalDelay(int failedAttempts) {
        double millis = base.toMillis() * Math.pow(factor, Math.max(0, failedAttempts - 1));
        return millis >= cap.toMillis() ? cap : Duration.ofMillis((long) millis);
    }

    /** The delay with jitter; {@code random} yields values in [0, 1). */
    public Duration delay(int failedAttempts, DoubleSupplier random) {
        long nominal = nominalDelay(failedAttempts).toMillis();
        double spread = 1.0 - jitter + 2.0 * jitter * random.getAsDouble();
        return Duration.ofMillis(Math.max(1, Math.round(nominal * spread)));
    }

    /** The time from the first failure to the dead letter, without jitter. */
    public Duration schedule() {
        Duration total = Duration.ZERO;
        for (int failed = 1; failed < maxAttempts; failed++) {
            total = total.plus(nominalDelay(failed));
        }
        return total;
    }
}
