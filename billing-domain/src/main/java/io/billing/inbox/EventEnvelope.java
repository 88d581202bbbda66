package io.billing.inbox;

import java.time.Instant;
import java.util.Objects;

/**
 * What the intake knows of a Stripe event without interpreting it: the envelope fields later stages
 * select and order by, plus the raw body exactly as it arrived.
 *
 * @param eventId    Stripe event id ({@code evt_…}), the idempotency key of the inbox
 * @param type       event type, e.g. {@code invoice.paid}; any string is accepted
 * @param apiVersion the API version the payload was rendered with, when present
 * @param livemode   whether the event came from live mode
 * @param account    the connected account ({@code acct_…}) for Connect events, else null
 * @param created    when Stripe created the event
 * @param objectType {@code data.object.object}, e.g. {@code invoice}, when present
 * @param objectId   {@code data.object.id}, when present (some objects, like entitlement summaries, have none)
 * @param customerId the Stripe customer the object belongs to, when it names one
 * @param rawBody    the request body byte for byte (for events read from the API, the event as the API rendered it)
 * @param source     how the event reached the service
 */
public record EventEnvelope(
        String eventId,
        String type,
        String apiVersion,
        boolean livemode,
        String account,
        Instant created,
        String objectType,
        String objectId,
        String customerId,
        byte[] rawBody,
        EventSource source) {

    public EventEnvelope {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(rawBody, "rawBody");
    }
}
