package io.billing.connector;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.billing.outbox.OutboxMessage;
import io.billing.outbox.OutboxTransport;
import io.billing.outbox.RestClientCalls;
import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.DatabaseFailures;
import io.billing.processing.handler.EventHandler;
import io.billing.processing.handler.HandlerOrder;
import io.billing.processing.handler.HandlingContext;
import io.billing.processing.handler.InboxWorkItem;
import io.billing.stripe.objects.SnapshotVersion;
import io.billing.stripe.view.CustomerView;
import io.billing.tenant.TenantId;
import jakarta.enterprise.context.Dependent;
import jakarta.ws.rs.ProcessingException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps a user in the licence service for each tenant's Stripe customer, as the licence integration does: the
 * user is found or created by the customer's e-mail address (the licence service reuses a user it has with that
 * address), its id is kept on the customer's {@link LicenceUser}, a changed address or name updates that same
 * user, and the licences {@link LicenceSync} creates for the customer's payments belong to it.
 *
 * <p>In the engine, each {@code customer.created} and {@code customer.updated} keeps the newest details (a late
 * older event changes nothing) and, when they differ from what the licence service was last sent, writes a
 * {@code licence-user:} message to the outbox. The delivery reads the customer's details as they are then, so
 * whichever of several messages goes out last sends the newest.
 */
@Dependent
@HandlerOrder(950)
public final class LicenceUserSync implements EventHandler {

    static final Set<String> EVENT_TYPES = Set.of("customer.created", "customer.updated");

    /** The prefix of the outbox messages that sync a customer's user. */
    static final String MESSAGE_PREFIX = "licence-user:";

    @Override
    public Set<String> eventTypes() {
        return EVENT_TYPES;
    }

    @Override
    public void handle(HandlingContext context) throws SQLException {
        InboxWorkItem event = context.event();
        CustomerView customer = CustomerView.of(context.json().dataObject());
        if (context.tenantId() == null || customer.id() == null) {
            return;
        }
        SnapshotVersion version = new SnapshotVersion(event.created(),
                SnapshotVersion.rank("customer", customer.status(), event.type()), event.eventId());
        LicenceUserRepository users = new JpaLicenceUserRepository(context.entityManager());
        TenantId tenant = TenantId.of(context.tenantId());
        LicenceUser.Contact contact = new LicenceUser.Contact(customer.email(), customer.name());
        Optional<LicenceUser> stored = users.findForUpdate(tenant, customer.id());
        LicenceUser user;
        boolean changed;
        if (stored.isPresent()) {
            user = stored.get();
            LicenceUser.Contact before = user.contact();
            changed = user.replaceIfNewer(contact, version) && !before.equals(user.contact());
        } else if (users.exists(customer.id())) {
            return; // the customer's user is kept by the tenant it was first seen with
        } else {
            user = LicenceUser.of(customer.id(), tenant, contact, version);
            users.add(user);
            changed = true;
        }
        // An older snapshot, or one that repeats the details kept, sends nothing: the message of the snapshot that
        // brought them syncs them.
        if (changed && user.email() != null && !user.inSync()) {
            JsonObject sync = new JsonObject();
            sync.addProperty("customer_id", customer.id());
            context.send(LicenceSync.DESTINATION, MESSAGE_PREFIX + customer.id() + ":" + event.eventId(),
                    sync.toString());
        }
    }

    /**
     * Keeps the details a payment gives of its customer (an invoice's {@code customer_email}, a Checkout Session's
     * {@code customer_details}) for a customer no customer event has told of yet, so that its licences get a user.
     */
    static void rememberFromPayment(HandlingContext context, String customerId, LicenceUser.Contact contact) {
        if (context.tenantId() == null || customerId == null || contact.email() == null) {
            return;
        }
        LicenceUserRepository users = new JpaLicenceUserRepository(context.entityManager());
        if (users.exists(customerId)) {
            return;
        }
        InboxWorkItem event = context.event();
        // Ranked below any customer event of the same second: the customer's own snapshot wins.
        SnapshotVersion version = new SnapshotVersion(event.created(), Integer.MIN_VALUE, event.eventId());
        users.add(LicenceUser.of(customerId, TenantId.of(context.tenantId()), contact, version));
    }

    /** A delivery's outcome: the user's id (null when the customer has no e-mail address known), or a failure. */
    record Ensured(String userId, OutboxTransport.Result failure) {
    }

    /**
     * The licence service's user calls, as answers. Each throws {@link ProcessingException} when the service
     * cannot be reached.
     */
    public interface UserCalls {
        RestClientCalls.Answer create(String idempotencyKey, String body);

        RestClientCalls.Answer update(String idempotencyKey, String userId, String body);
    }

    /** The user calls through the licence service's rest client. */
    static UserCalls calls(LicenceApi api) {
        return new UserCalls() {
            @Override
            public RestClientCalls.Answer create(String idempotencyKey, String body) {
                return RestClientCalls.answer(message -> api.createUser(idempotencyKey, body), null);
            }

            @Override
            public RestClientCalls.Answer update(String idempotencyKey, String userId, String body) {
                return RestClientCalls.answer(message -> api.updateUser(idempotencyKey, userId, body), null);
            }
        };
    }

    /** Delivers a {@code licence-user:} message. */
    public static OutboxTransport.Result deliver(DataAccess data, Clock clock, UserCalls users, OutboxMessage message) {
        String customerId = JsonParser.parseString(message.payload()).getAsJsonObject().get("customer_id").getAsString();
        Ensured ensured = ensure(data, clock, users, message.tenantId(), customerId);
        return ensured.failure() != null ? ensured.failure() : OutboxTransport.Result.delivered(200);
    }

    /**
     * Makes sure the licence service has the customer's user with the details known now: creates (or finds, by
     * e-mail) the user the first time, updates it when the details changed since, and keeps its id.
     */
    static Ensured ensure(DataAccess data, Clock clock, UserCalls users, String tenantId, String customerId) {
        TenantId tenant = TenantId.ofNullable(tenantId);
        Optional<LicenceUser> known;
        try {
            known = tenant == null ? Optional.empty() : DatabaseFailures.read(data,
                    entityManager -> new JpaLicenceUserRepository(entityManager).find(tenant, customerId));
        } catch (SQLException e) {
            return failed("could not read the customer's licence user: " + e.getMessage());
        }
        if (known.isEmpty() || known.get().email() == null) {
            return new Ensured(null, null);
        }
        LicenceUser user = known.get();
        if (user.inSync()) {
            return new Ensured(user.userId(), null);
        }
        JsonObject details = new JsonObject();
        details.addProperty("email", user.email());
        details.addProperty("name", user.name());
        details.addProperty("customer_id", customerId);
        details.addProperty("tenant_id", tenant.value());
        String body = details.toString();
        String key = MESSAGE_PREFIX + customerId + ":" + fingerprint(body);
        RestClientCalls.Answer answer;
        try {
            answer = user.userId() == null ? users.create(key, body) : users.update(key, user.userId(), body);
        } catch (ProcessingException e) {
            return new Ensured(null, RestClientCalls.unreachable(LicenceApi.CONFIG_KEY, e));
        }
        if (answer.status() / 100 != 2) {
            return new Ensured(null, OutboxTransport.Result.ofHttpStatus(answer.status(), LicenceApi.CONFIG_KEY));
        }
        String userId = user.userId();
        if (userId == null) {
            try {
                userId = JsonParser.parseString(answer.body()).getAsJsonObject().get("id").getAsString();
            } catch (RuntimeException e) {
                return failed("the licence service's answer names no user id");
            }
        }
        String syncedId = userId;
        try {
            DatabaseFailures.inTransaction(data, unit -> {
                new JpaLicenceUserRepository(unit.entityManager()).findForUpdate(tenant, customerId)
                        .ifPresent(stored -> stored.synced(syncedId, user.email(), user.name(), clock.instant()));
                return null;
            });
        } catch (SQLException e) {
            return failed("could not keep the licence service's user id: " + e.getMessage());
        }
        return new Ensured(syncedId, null);
    }

    private static Ensured failed(String detail) {
        return new Ensured(null, new OutboxTransport.Result(false, false, null, detail));
    }

    /** The same details give the same idempotency key; changed ones a new one. */
    private static String fingerprint(String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
