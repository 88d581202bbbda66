package io.billing.processing;

import io.billing.outbox.Outbox;
import io.billing.stripe.StripeEventJson;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * What a handler gets: the event, its tenant, the event's transaction and the outbox.
 *
 * @param tenantId null for handlers that are not tenant-scoped
 * @param now      the engine's clock reading for this attempt
 */
public record HandlingContext(InboxWorkItem event, StripeEventJson json, String tenantId, Connection connection,
                              Instant now, Outbox outbox) {

    /**
     * Writes a message to the outbox in this event's transaction: it is delivered only if the event
     * commits, and at most once per idempotency key however often the event is re-run.
     */
    public void send(String destination, String idempotencyKey, String jsonPayload) throws SQLException {
        outbox.enqueue(connection, destination, idempotencyKey, tenantId, event.eventId(), jsonPayload, now);
    }
}
