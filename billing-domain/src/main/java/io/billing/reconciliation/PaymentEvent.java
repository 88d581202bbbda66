package io.billing.reconciliation;

import java.time.Instant;
import java.util.Objects;

/**
 * What one Stripe event says about its payment: the ids it names, the internal order and checkout attempt from
 * its metadata, the status it reports (null when it reports none), when the event was received, and whether
 * this run of it is a retry.
 */
public record PaymentEvent(PaymentIds ids, String orderId, String checkoutAttemptId, ReconciliationStatus status,
                           Instant receivedAt, boolean retried) {

    public PaymentEvent {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
