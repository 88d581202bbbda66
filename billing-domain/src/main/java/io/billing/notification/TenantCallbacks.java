package io.billing.notification;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.billing.audit.AuditLog;
import io.billing.entitlement.Entitlements;
import io.billing.outbox.OutboxMessage;
import io.billing.outbox.OutboxTransport;
import io.billing.outbox.RestClientCalls;
import io.billing.platform.persistence.Transactions;
import io.billing.processing.handler.EventHandler;
import io.billing.processing.handler.HandlerOrder;
import io.billing.processing.handler.HandlingContext;
import io.billing.stripe.FetchedSnapshots;
import io.billing.stripe.webhook.SignatureHeader;
import io.billing.tenant.TenantId;

import java.net.URI;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Per-tenant callbacks: a tenant may register an HTTPS endpoint, which is told when what the tenant may
 * use changes. Events that can change entitlements (subscriptions, paid invoices, completed checkouts,
 * Stripe's entitlement summaries) put a message in the outbox when the tenant has a callback; delivering
 * it computes the entitlements as they are then, and sends them only if they differ from the last ones
 * sent, signed with the tenant's secret. So the tenant hears of each change, once, and of nothing else.
 */
@HandlerOrder(800)
public final class TenantCallbacks implements EventHandler {

    public static final String DESTINATION = "tenant-callback";

    static final Set<String> EVENT_TYPES = FetchedSnapshots.plusFetched(Set.of(
            "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
            "customer.subscription.paused", "customer.subscription.resumed",
            "invoice.paid", "invoice.payment_succeeded",
            "checkout.session.completed", "checkout.session.async_payment_succeeded",
            "entitlements.active_entitlement_summary.updated"));

    /** A tenant's registered callback as operators see it: never the secret. */
    public record Callback(String tenantId, String url, Instant updatedAt) {
    }

    private static final String FIND_SQL = "SELECT url, secret, last_entitlements, updated_at FROM tenant_callback WHERE tenant_id = ?";
    private static final String SENT_SQL = "UPDATE tenant_callback SET last_entitlements = ? WHERE tenant_id = ? AND url = ?";

    private final DataSource dataSource;
    private final Clock clock;
    private final boolean allowHttp;

    /**
     * @param allowHttp accept plain {@code http://} callback URLs (development and tests only)
     */
    public TenantCallbacks(DataSource dataSource, Clock clock, boolean allowHttp) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.allowHttp = allowHttp;
    }

    @Override
    public Set<String> eventTypes() {
        return EVENT_TYPES;
    }

    @Override
    public void handle(HandlingContext context) throws SQLException {
        try (PreparedStatement query = context.connection().prepareStatement(
                "SELECT 1 FROM tenant_callback WHERE tenant_id = ?")) {
            query.setString(1, context.tenantId());
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return;
                }
            }
        }
        JsonObject cause = new JsonObject();
        cause.addProperty("tenant_id", context.tenantId());
        cause.addProperty("cause_event_id", context.event().eventId());
        cause.addProperty("cause_event_type", context.event().type());
        context.send(DESTINATION, "callback:" + context.event().eventId(), cause.toString());
    }

    /** Registers or changes the tenant's callback with a new secret, returned once; audited without it. */
    public String register(String tenantId, String url, String actor, String reason) throws SQLException {
        if (tenantId == null || tenantId.isBlank()) {
            throw new IllegalArgumentException("tenant id is required");
        }
        URI uri = validUrl(url);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String secret = "tcbsec_" + HexFormat.of().formatHex(random);
        Transactions.inTransaction(dataSource, connection -> {
            Instant now = clock.instant();
            Optional<Callback> before = find(connection, tenantId);
            String sql = before.isPresent()
                    ? "UPDATE tenant_callback SET url = ?, secret = ?, last_entitlements = NULL, updated_at = ? WHERE tenant_id = ?"
                    : "INSERT INTO tenant_callback (url, secret, updated_at, tenant_id, created_at) VALUES (?, ?, ?, ?, ?)";
            try (PreparedStatement write = connection.prepareStatement(sql)) {
                write.setString(1, uri.toString());
                write.setString(2, secret);
                write.setTimestamp(3, Timestamp.from(now));
                write.setString(4, tenantId);
                if (before.isEmpty()) {
                    write.setTimestamp(5, Timestamp.from(now));
                }
                write.executeUpdate();
            }
            AuditLog.record(connection, now, actor, "SET_TENANT_CALLBACK", "tenant", tenantId,
                    before.map(Callback::url).orElse(null), uri + " (new secret)", reason);
            return null;
        });
        return secret;
    }

    /** Removes the tenant's callback; false when it had none. */
    public boolean remove(String tenantId, String actor, String reason) throws SQLException {
        return Transactions.inTransaction(dataSource, connection -> {
            Optional<Callback> before = find(connection, tenantId);
            if (before.isEmpty()) {
                return false;
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM tenant_callback WHERE tenant_id = ?")) {
                delete.setString(1, tenantId);
                delete.executeUpdate();
            }
            AuditLog.record(connection, clock.instant(), actor, "REMOVE_TENANT_CALLBACK", "tenant", tenantId,
                    before.get().url(), null, reason);
            return true;
        });
    }

    public Optional<Callback> find(String tenantId) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return find(connection, tenantId);
        }
    }

    private static Optional<Callback> find(Connection connection, String tenantId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(FIND_SQL)) {
            query.setString(1, tenantId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(new Callback(tenantId, row.getString(1), row.getTimestamp(4).toInstant()))
                        : Optional.empty();
            }
        }
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
        return uri;
    }

    /**
     * Delivers callbacks: the tenant's entitlements now, if they changed since the last ones sent.
     *
     * @param clients the rest client of a callback URL
     */
    public static OutboxTransport transport(DataSource dataSource, Clock clock, Entitlements entitlements,
                                            Function<URI, TenantCallbackApi> clients) {
        return message -> deliver(dataSource, clock, entitlements, clients, message);
    }

    private static OutboxTransport.Result deliver(DataSource dataSource, Clock clock, Entitlements entitlements,
                                                  Function<URI, TenantCallbackApi> clients, OutboxMessage message) {
        JsonObject cause = JsonParser.parseString(message.payload()).getAsJsonObject();
        String tenantId = cause.get("tenant_id").getAsString();
        String url;
        String secret;
        String lastSent;
        JsonArray features = new JsonArray();
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(FIND_SQL)) {
            query.setString(1, tenantId);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return new OutboxTransport.Result(true, false, null, "the tenant no longer has a callback");
                }
                url = row.getString(1);
                secret = row.getString(2);
                lastSent = row.getString(3);
            }
            for (Entitlements.Feature feature : entitlements.current(TenantId.of(tenantId))) {
                JsonObject shown = new JsonObject();
                shown.addProperty("feature", feature.feature());
                shown.addProperty("until", feature.until() == null ? null : feature.until().toString());
                features.add(shown);
            }
        } catch (SQLException e) {
            return new OutboxTransport.Result(false, false, null, "could not read the entitlements: " + e.getMessage());
        }
        if (features.toString().equals(lastSent)) {
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
        String signature = SignatureHeader.sign(secret, now.getEpochSecond(), json);
        OutboxTransport.Result result = RestClientCalls.transport("the callback of " + tenantId,
                m -> clients.apply(URI.create(url)).deliver(signature, m.idempotencyKey(), json)).deliver(message);
        if (result.delivered()) {
            try {
                Transactions.inTransaction(dataSource, connection -> {
                    try (PreparedStatement sent = connection.prepareStatement(SENT_SQL)) {
                        sent.setString(1, features.toString());
                        sent.setString(2, tenantId);
                        sent.setString(3, url);
                        return sent.executeUpdate();
                    }
                });
            } catch (SQLException e) {
                // sent but not remembered: the next change resends these too, which the receiver can drop
                return result;
            }
        }
        return result;
    }
}
