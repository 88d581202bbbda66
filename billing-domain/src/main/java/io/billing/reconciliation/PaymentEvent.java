package io.billing.reconciliation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one Stripe event says about its payment: the ids it names, the internal order, checkout attempt and store
 * from its metadata, the invoice number, the status it reports (null when it reports none), when the event was
 * received, whether this run of it is a retry, and where it came from.
 *
 * @param origin the event itself; null for a payment event that no Stripe event reported (it adds no history)
 */
public record PaymentEvent(PaymentIds ids, String orderId, String checkoutAttemptId, String storeId,
                           String invoiceNumber, ReconciliationStatus status, Instant receivedAt, boolean retried,
                           Origin origin) {

    /**
     * The Stripe event: its id, Stripe's {@code created}, its mode ({@code livemode}) and the Connect account it came
     * from (null for the platform's own).
     */
    public record Origin(String eventId, Instant created, boolean livemode, String account) {
        public Origin {
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(created, "created");
        }
    }

    public PaymentEvent {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** An event's ids, order, attempt and status, of no known origin and naming no store or invoice number. */
    public PaymentEvent(PaymentIds ids, String orderId, String checkoutAttemptId, ReconciliationStatus status,
                        Instant receivedAt, boolean retried) {
        this(ids, orderId, checkoutAttemptId, null, null, status, receivedAt, retried, null);
    }

    /**
     * The states of the payment's history the event reports, each at its {@link Origin#created}: that the payment
     * exists, and the state of its status if it reports one. None without an origin.
     */
    public List<PaymentState> states() {
        List<PaymentState> states = new ArrayList<>();
        if (origin != null) {
            states.add(PaymentState.CREATED);
            PaymentState reported = PaymentState.of(status);
            if (reported != null) {
                states.add(reported);
            }
        }
        return states;
    }
}
