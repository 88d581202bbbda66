package io.billing.notification;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.billing.audit.AuditEntry;
import io.billing.audit.JpaAuditLog;
import io.billing.entitlement.Entitlements;
import io.billing.outbox.OutboxMessage;
import io.billing.outbox.OutboxTransport;
import io.billing.platform.crypto.SecretBox;
import io.billing.platform.net.Destinations;
import io.billing.platform.net.PinnedHttpPost;
import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.DatabaseFailures;
import io.billing.stripe.webhook.SignatureHeader;
import io.billing.tenant.TenantId;

import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Per-tenant callbacks: a tenant may register an HTTPS endpoint, which is told when what the tenant may
 * use changes. Events that can change entitlements put a message in the outbox when the tenant has a callback
 * ({@link TenantCallbackTriggers}); delivering it computes the entitlements as they are then, and sends them only
 * if they differ from the last ones sent, signed with the tenant's secret. So the tenant hears of each change,
 * once, and of nothing else. Operators register, change and remove callbacks here; audited, never with the secret.
 *
 * <p>An operator's change locks the callback, so that a delivery recording what it sent meanwhile waits and then
 * finds a newer version: what was sent to the old endpoint is not remembered for the new one.
 *
 * <p>A callback URL is the tenant's word, so it may not lead inside the service's network: its host must resolve to
 * public addresses only ({@link Destinations}), when it is registered and again at every delivery, which connects to
 * the address it checked and follows no redirect ({@link PinnedHttpPost}). A failed delivery is recorded by its kind
 * only, never with the connection error's text, which staff see.
 *
 * <p>The signing secrets are stored sealed with the service's encryption key ({@link SecretBox}), so that a copy of
 * the database alone cannot sign a callback. A secret stored plain (before a key was configured) or sealed with the
 * previous key (while the key is rotated) still signs, and {@link #resealStoredSecrets()} stores those anew with
 * the current key. Without a key secrets are stored plain.
 */
public final class TenantCallbacks {

    private static final Logger LOG = Logger.getLogger(TenantCallbacks.class.getName());

    public static final String DESTINATION = "tenant-callback";

    /** A tenant's registered callback as operators see it: never the secret. */
    public record Callback(String tenantId, String url, Instant updatedAt) {

        static Callback of(TenantCallback callback) {
            return new Callback(callback.tenant().value(), callback.url(), callback.updatedAt());
        }
    }

    private final DataAccess data;
    private final Clock clock;
    private final boolean allowHttp;
    private final SecretBox secrets;
    private final Destinations destinations;

    /**
     * @param allowHttp    accept plain {@code http://} callback URLs (development and tests only)
     * @param secrets      seals the signing secrets for the database ({@link SecretBox#none()}: stored plain)
     * @param destinations which hosts a callback may name ({@link Destinations#publicOnly()} but in tests)
     */
    public TenantCallbacks(DataAccess data, Clock clock, boolean allowHttp, SecretBox secrets,
                           Destinations destinations) {
        this.data = data;
        this.clock = clock;
        this.allowHttp = allowHttp;
        this.secrets = secrets;
        this.destinations = destinations;
    }

    /** Registers or changes the tenant's callback with a new secret, returned once; audited without it. */
    public String register(String tenantId, String url, String actor, String reason) throws SQLException {
        TenantId tenant = tenant(tenantId);
        URI uri = validUrl(url);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String secret = "tcbsec_" + HexFormat.of().formatHex(random);
        String stored = secrets.seal(secret);
        DatabaseFailures.inTransaction(data, unit -> {
            Instant now = clock.instant();
            RegisteredCallbacks callbacks = RegisteredCallbacks.of(unit.entityManager());
            Optional<TenantCallback> before = callbacks.lock(tenant);
            String urlBefore = before.map(TenantCallback::url).orElse(null);
            if (before.isPresent()) {
                before.get().changeTo(uri, stored, now);
            } else {
                callbacks.add(new TenantCallback(tenant, uri, stored, now));
            }
            new JpaAuditLog(unit.entityManager()).append(new AuditEntry(now, actor, "SET_TENANT_CALLBACK", "tenant",
                    tenantId, urlBefore, uri + " (new secret)", reason));
            return null;
        });
        return secret;
    }

    /** Removes the tenant's callback; false when it had none. */
    public boolean remove(String tenantId, String actor, String reason) throws SQLException {
        TenantId tenant = tenant(tenantId);
        return DatabaseFailures.inTransaction(data, unit -> {
            RegisteredCallbacks callbacks = RegisteredCallbacks.of(unit.entityManager());
            Optional<TenantCallback> before = callbacks.lock(tenant);
            if (before.isEmpty()) {
                return false;
            }
            callbacks.remove(before.get());
            new JpaAuditLog(unit.entityManager()).append(new AuditEntry(clock.instant(), actor,
                    "REMOVE_TENANT_CALLBACK", "tenant", tenantId, before.get().url(), null, reason));
            return true;
        });
    }

    /**
     * Stores anew every secret not stored as the current configuration would: plain ones sealed once a key is
     * configured, those sealed with the previous key sealed with the current one (or stored plain where the key
     * was removed). At start, before the outbox delivers; each callback is locked meanwhile, so an operator's
     * change waits. A secret that opens with no configured key stays as it is, with a warning naming its tenant.
     * Without a key one warning (never a secret) says that secrets are stored plain.
     *
     * @return how many secrets were stored anew
     */
    public int resealStoredSecrets() throws SQLException {
        if (!secrets.hasKey()) {
            LOG.warning("BILLING_ENCRYPTION_KEY is not set: tenants' callback secrets are stored in plain text");
        }
        int resealed = DatabaseFailures.inTransaction(data, unit -> {
            int count = 0;
            for (TenantCallback callback : RegisteredCallbacks.of(unit.entityManager()).lockAll()) {
                String stored = callback.storedSecret();
                if (secrets.isCurrent(stored)) {
                    continue;
                }
                try {
                    callback.restoreSecret(secrets.seal(secrets.open(stored)));
                    count++;
                } catch (IllegalStateException e) {
                    LOG.warning(() -> "the callback secret of tenant " + callback.tenant().value() + ": "
                            + e.getMessage() + "; its callbacks are not sent until it is registered again");
                }
            }
            return count;
        });
        if (resealed > 0) {
            LOG.info(() -> "stored the callback secrets of " + resealed + " tenant(s) anew with the encryption key");
        }
        return resealed;
    }

    public Optional<Callback> find(String tenantId) throws SQLException {
        TenantId tenant = tenant(tenantId);
        return DatabaseFailures.read(data, entityManager -> RegisteredCallbacks.of(entityManager).find(tenant)
                .map(Callback::of));
    }

    private static TenantId tenant(String tenantId) {
        if (tenantId == null || tenantId.isBlank()) {
            throw new IllegalArgumentException("tenant id is required");
        }
        return TenantId.of(tenantId);
    }

    private URI validUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url == null ? "" : url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || allowHttp && scheme.equals("http"))) {
            throw new IllegalArgumentException("the callback must be an https:// URL with a host, not " + url);
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("a callback URL carries no user name or password");
        }
        if (!destinations.allowsPrivate()) {
            try {
                destinations.resolve(uri.getHost());
            } catch (Destinations.Refused e) {
                throw new IllegalArgumentException("the callback's host " + uri.getHost() + " is a loopback, private,"
                        + " link-local or otherwise non-public address: refused");
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("the callback's host " + uri.getHost() + " is not found");
            }
        }
        return uri;
    }

    /**
     * Delivers callbacks: the tenant's entitlements now, if they changed since the last ones sent.
     *
     * @param sender  posts to a callback URL, checking its destination again
     * @param secrets opens the stored signing secrets
     */
    public static OutboxTransport transport(DataAccess data, Clock clock, Entitlements entitlements,
                                            PinnedHttpPost sender, SecretBox secrets) {
        return message -> deliver(data, clock, entitlements, sender, secrets, message);
    }

    private static OutboxTransport.Result deliver(DataAccess data, Clock clock, Entitlements entitlements,
                                                  PinnedHttpPost sender, SecretBox secrets, OutboxMessage message) {
        JsonObject cause = JsonParser.parseString(message.payload()).getAsJsonObject();
        String tenantId = cause.get("tenant_id").getAsString();
        TenantId tenant = TenantId.of(tenantId);
        Optional<TenantCallback> registered;
        JsonArray features = new JsonArray();
        try {
            registered = data.read(entityManager -> RegisteredCallbacks.of(entityManager).find(tenant));
            if (registered.isEmpty()) {
                return new OutboxTransport.Result(true, false, null, "the tenant no longer has a callback");
            }
            for (Entitlements.Feature feature : entitlements.current(TenantId.of(tenantId))) {
                JsonObject shown = new JsonObject();
                shown.addProperty("feature", feature.feature());
                shown.addProperty("until", feature.until() == null ? null : feature.until().toString());
                features.add(shown);
            }
        } catch (SQLException | RuntimeException e) {
            return new OutboxTransport.Result(false, false, null, "could not read the entitlements: " + e.getMessage());
        }
        TenantCallback callback = registered.get();
        if (features.toString().equals(callback.lastEntitlements())) {
            return new OutboxTransport.Result(true, false, null, "entitlements unchanged: nothing sent");
        }
        Instant now = clock.instant();
        JsonObject body = new JsonObject();
        body.addProperty("type", "entitlements.changed");
        body.addProperty("tenant_id", tenantId);
        body.addProperty("as_of", now.toString());
        body.add("features", features);
        body.addProperty("cause_event_id", cause.get("cause_event_id").getAsString());
        String json = body.toString();
        String secret;
        try {
            secret = secrets.open(callback.storedSecret());
        } catch (IllegalStateException e) { // another key, or a changed value: retried once the key is right
            return new OutboxTransport.Result(false, false, null, "the callback's secret: " + e.getMessage());
        }
        String signature = SignatureHeader.sign(secret, now.getEpochSecond(), json);
        OutboxTransport.Result result = send(sender, URI.create(callback.url()), "the callback of " + tenantId,
                Map.of("Billing-Signature", signature, "Idempotency-Key", message.idempotencyKey()), json);
        if (result.delivered()) {
            rememberSent(data, tenant, callback.version(), features.toString());
        }
        return result;
    }

    /**
     * One POST to the callback: its status decides as for every HTTP receiver, and a redirect is a refusal (it is not
     * followed). A destination that resolves to a non-public address now is a refusal too, retried only by hand;
     * another failure to connect is retried.
     */
    private static OutboxTransport.Result send(PinnedHttpPost sender, URI url, String receiver,
                                               Map<String, String> headers, String json) {
        try {
            int status = sender.post(url, headers, json);
            OutboxTransport.Result result = OutboxTransport.Result.ofHttpStatus(status, receiver);
            return status / 100 == 3 ? new OutboxTransport.Result(false, true, status, result.detail()
                    + ": redirects are not followed") : result;
        } catch (Destinations.Refused e) {
            return new OutboxTransport.Result(false, true, null, receiver + " " + PinnedHttpPost.describe(e));
        } catch (IOException e) {
            return new OutboxTransport.Result(false, false, null, receiver + " unreachable: "
                    + PinnedHttpPost.describe(e));
        }
    }

    /**
     * Remembers what the callback was sent, unless it changed since it was read for sending (another URL or
     * secret): then nothing was sent to it yet. Sent but not remembered (the database failed, or the callback
     * changed meanwhile) means the next change resends these too, which the receiver can drop.
     */
    static boolean rememberSent(DataAccess data, TenantId tenant, long versionSentTo, String entitlements) {
        try {
            return data.inTransaction(unit -> {
                Optional<TenantCallback> current = RegisteredCallbacks.of(unit.entityManager()).find(tenant)
                        .filter(callback -> callback.version() == versionSentTo);
                current.ifPresent(callback -> callback.entitlementsSent(entitlements));
                return current.isPresent();
            });
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }
}
