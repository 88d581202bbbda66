package io.billing.processing.operator;

import io.billing.inbox.InboxStatus;

import java.time.Instant;

/**
 * What to list events by; null fields do not filter. Times are Stripe's {@code created}, from inclusive
 * to exclusive. Pages count from 0.
 */
public record EventFilter(InboxStatus status, String type, String tenantId, String objectId, Instant from,
                          Instant to, int page, int size) {

    public static final int MAX_PAGE_SIZE = 500;

    public EventFilter {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page must be >= 0 and size between 1 and " + MAX_PAGE_SIZE);
        }
    }
}
