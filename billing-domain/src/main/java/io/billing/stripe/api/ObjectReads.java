package io.billing.stripe.api;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.billing.audit.AuditLog;
import io.billing.inbox.EventEnvelope;
import io.billing.inbox.EventEnvelopeParser;
import io.billing.inbox.EventSource;
import io.billing.inbox.InboxInserts;
import io.billing.inbox.MalformedEventException;
import io.billing.outbox.Outbox;
import io.billing.outbox.OutboxMessage;
import io.billing.outbox.OutboxTransport;
import io.billing.platform.persistence.Transactions;
import io.billing.stripe.FetchedSnapshots;
import io.billing.stripe.view.StripeObjectView;
import io.billing.tenant.StripeTenantResolver;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * Reads one object back from the Stripe API and feeds it to the engine as a snapshot event
 * ({@link FetchedSnapshots}, source {@link EventSource#OBJECT_READ}), through the inbox like every other
 * event, so the same tenant resolution, ordering and projections apply.
 *
 * <p>Two uses. An operator's resync of one object (on demand). And a dispute or refund whose charge this
 * service never saw (Stripe's dispute carries no customer and no metadata): the tenant resolver asks, in
 * the parking event's transaction, for the payment to be read ({@link #requestRead}, an outbox message, so
 * the call happens outside any transaction, is retried with backoff and shows up in the outbox if it keeps
 * failing); the read charge resolves through its customer, and its arrival re-queues the parked event.
 */
public final class ObjectReads implements StripeTenantResolver.PaymentLookup {

    /** The outbox destination of read requests. */
    public static final String DESTINATION = "stripe.object-read";

    private final DataSource dataSource;
    private final Clock clock;
    private final StripeGateway gateway;
    private final Runnable afterStore;
    private final Outbox outbox = new Outbox();
    private final EventEnvelopeParser parser = new EventEnvelopeParser();

    /**
     * @param afterStore run after a snapshot is stored (wakes the engine's workers)
     */
    public ObjectReads(DataSource dataSource, Clock clock, StripeGateway gateway, Runnable afterStore) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.gateway = gateway;
        this.afterStore = afterStore;
    }

    /** Reads the object now and stores its snapshot event; returns that event's id. */
    public String readNow(String objectId) throws StripeApiException, SQLException {
        return readNow(objectId, null, null);
    }

    /** An operator's resync: as {@link #readNow(String)}, audited under their name in the same transaction. */
    public String readNow(String objectId, String operator, String reason) throws StripeApiException, SQLException {
        String objectJson = gateway.retrieve(objectId);
        Instant now = clock.instant();
        EventEnvelope snapshot;
        try {
            snapshot = parser.parse(snapshotEvent(objectJson, now), EventSource.OBJECT_READ);
        } catch (MalformedEventException | RuntimeException e) {
            throw new StripeApiException(StripeApiException.Kind.API_ERROR, null, null, null,
                    "the API's answer for " + objectId + " is not a Stripe object", e);
        }
        Transactions.inTransaction(dataSource, connection -> {
            InboxInserts.insert(connection, List.of(snapshot), Timestamp.from(now));
            if (operator != null) {
                AuditLog.record(connection, now, operator, "RESYNC_OBJECT", "stripe_object", objectId, null,
                        snapshot.eventId(), reason);
            }
            return null;
        });
        afterStore.run();
        return snapshot.eventId();
    }

    /** Asks, in the caller's transaction, for the payment to be read; once per payment. */
    @Override
    public void requestRead(Connection connection, String paymentId, String forEventId, Instant now)
            throws SQLException {
        JsonObject payload = new JsonObject();
        payload.addProperty("object_id", paymentId);
        payload.addProperty("requested_by_event", forEventId);
        outbox.enqueue(connection, DESTINATION, "stripe-read:" + paymentId, null, forEventId, payload.toString(), now);
    }

    /** Delivers read requests from the outbox: a failed read is retried as the outbox retries. */
    public OutboxTransport transport() {
        return this::deliver;
    }

    private OutboxTransport.Result deliver(OutboxMessage message) {
        String objectId;
        try {
            objectId = JsonParser.parseString(message.payload()).getAsJsonObject().get("object_id").getAsString();
        } catch (RuntimeException e) {
            return new OutboxTransport.Result(false, true, null, "not a read request: " + message.payload());
        }
        try {
            readNow(objectId);
            return OutboxTransport.Result.delivered(200);
        } catch (StripeApiException e) {
            return new OutboxTransport.Result(false, !e.retryable(), e.httpStatus(),
                    e.kind() + ": " + e.getMessage());
        } catch (SQLException | RuntimeException e) {
            return new OutboxTransport.Result(false, false, null, "could not store the snapshot: " + e.getMessage());
        }
    }

    /** The object wrapped as an event dated {@code readAt}, so it outranks older snapshots and not newer ones. */
    static byte[] snapshotEvent(String objectJson, Instant readAt) {
        JsonObject object = JsonParser.parseString(objectJson).getAsJsonObject();
        StripeObjectView view = StripeObjectView.of(object);
        String objectType = view.type();
        String id = view.id();
        if (objectType == null || id == null) {
            throw new IllegalArgumentException("a Stripe object has its type and id; this one has " + objectType + " " + id);
        }
        JsonObject data = new JsonObject();
        data.add("object", object);
        JsonObject event = new JsonObject();
        event.addProperty("id", "evt_fetched_" + id + "_" + readAt.toEpochMilli());
        event.addProperty("object", "event");
        event.addProperty("api_version", com.stripe.Stripe.API_VERSION);
        event.addProperty("created", readAt.getEpochSecond());
        event.add("data", data);
        event.addProperty("livemode", view.livemode());
        event.addProperty("pending_webhooks", 0);
        event.addProperty("type", FetchedSnapshots.eventTypeOf(objectType));
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }
}
