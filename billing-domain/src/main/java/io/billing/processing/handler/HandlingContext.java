package io.billing.processing.handler;

import io.billing.inbox.InboxRequeue;
import io.billing.outbox.Outbox;
import io.billing.stripe.StripeEventJson;
import jakarta.persistence.EntityManager;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * What a handler gets: the event, its tenant, the event's transaction, the outbox and the re-queue of parked
 * events.
 *
 * @param tenantId      null for handlers that are not tenant-scoped
 * @param entityManager the event's persistence context: the aggregates' repositories work through it
 * @param connection    the same transaction as plain JDBC, for the set-based statements that stay SQL
 * @param now           the engine's clock reading for this attempt
 */
public record HandlingContext(InboxWorkItem event, StripeEventJson json, String tenantId, EntityManager entityManager,
                              Connection connection, Instant now, Outbox outbox) {

    /**
     * Writes a message to the outbox in this event's transaction: it is delivered only if the event
     * commits, and at most once per idempotency key however often the event is re-run.
     */
    public void send(String destination, String idempotencyKey, String jsonPayload) throws SQLException {
        outbox.enqueue(connection, destination, idempotencyKey, tenantId, event.eventId(), jsonPayload, now);
    }

    /**
     * Writes a message to the outbox when this event's unit of work commits, if {@code source} (see
     * {@link Outbox#ifFound}) then finds a row for {@code sourceParameter}: for a message owed only where another
     * aggregate has a row, without reading it first. At most once per idempotency key, as {@link #send}.
     */
    public void sendAtCommitIfFound(Outbox.IfFound source, String sourceParameter, String destination, String idempotencyKey,
                                    String jsonPayload) {
        outbox.enqueueAtCommitIfFound(entityManager, source, sourceParameter, destination, idempotencyKey, tenantId,
                event.eventId(), jsonPayload, now);
    }

    /**
     * Re-queues, when this event's transaction commits, the parked events that waited for {@code awaitedId} (this
     * event's object, say a payment they are resolved through), those of the same batch included: they run again
     * once this event commits.
     */
    public void requeueParkedAwaiting(String awaitedId, String reason) {
        InboxRequeue.parkedAwaitingAtCommit(entityManager, awaitedId, now, reason);
    }
}
