package io.billing.processing;

import java.time.Duration;

/**
 * Told of every attempt that settled (committed): the event's type, how the attempt ended and how long it
 * took. The runtime counts them as metrics; tests and benchmarks leave it at {@link #NONE}.
 */
@FunctionalInterface
public interface ProcessingObserver {

    ProcessingObserver NONE = (type, outcome, took) -> { };

    void attempted(String eventType, AttemptOutcome outcome, Duration took);
}
