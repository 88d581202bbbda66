package io.billing.apikey;

import io.billing.audit.AuditEntry;
import io.billing.audit.JpaAuditLog;
import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.DatabaseFailures;
import io.billing.tenant.TenantId;

import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The SaaS application's API keys: created and revoked by admins (audited in the same transaction), listed without
 * their secrets, and checked on every request.
 *
 * <p>Every check reads the key's row: nothing is cached, so a revocation holds from its commit on, on every node.
 * The row is one look-up by primary key, and the hash a microsecond (see {@link ApiKey}). A key's last use is
 * written at most once per {@link #LAST_USE_PRECISION} and key, cluster-wide: the check skips the write while the
 * recorded use is recent, and the write itself is conditional.
 *
 * <p>The legacy service token ({@code billing.service-token}), while configured, is one more key: every scope,
 * every tenant, compared in constant time and never stored.
 */
public final class ApiKeys {

    /** How stale a key's recorded last use may get before a request records it again. */
    public static final Duration LAST_USE_PRECISION = Duration.ofMinutes(1);

    private static final Logger LOG = Logger.getLogger(ApiKeys.class.getName());
    private static final String TARGET = "api_key";

    /** A key as operators see it: never its secret or hash. {@code tenantId} null: every tenant. */
    public record KeyView(String keyId, String name, List<String> scopes, String tenantId, Instant createdAt,
                          String createdBy, Instant revokedAt, String revokedBy, Instant lastUsedAt) {
    }

    /** A key just created, with its secret: the one time the secret is anywhere but with its holder. */
    public record Issued(KeyView key, String secret) {
    }

    private final DataAccess data;
    private final Clock clock;
    private final byte[] legacyTokenHash;

    /** @param legacyToken the legacy service token, if configured (blank counts as none) */
    public ApiKeys(DataAccess data, Clock clock, Optional<String> legacyToken) {
        this.data = data;
        this.clock = clock;
        this.legacyTokenHash = legacyToken.map(String::trim).filter(t -> !t.isEmpty()).map(ApiKey::sha256).orElse(null);
    }

    public boolean legacyTokenConfigured() {
        return legacyTokenHash != null;
    }

    /**
     * Creates a key and audits it, in one transaction.
     *
     * @param tenantId the one tenant the key may act for; null or blank for every tenant
     * @throws IllegalArgumentException for a blank or long name, no scope, or a malformed tenant id
     */
    public Issued create(String name, Set<ApiScope> scopes, String tenantId, String actor, String reason)
            throws SQLException {
        TenantId tenant = tenantId == null || tenantId.isBlank() ? null : TenantId.of(tenantId.trim());
        Instant now = clock.instant();
        ApiKey.Issued issued = ApiKey.issue(name, scopes, tenant, actor, now);
        ApiKey key = issued.key();
        DatabaseFailures.inTransaction(data, unit -> {
            new JpaApiKeyRepository(unit.entityManager()).add(key);
            unit.flush();
            new JpaAuditLog(unit.entityManager()).append(new AuditEntry(now, actor, "CREATE_API_KEY", TARGET, key.id(),
                    null, describe(key), reason));
            return null;
        });
        return new Issued(view(key), issued.secret());
    }

    /** Every key, revoked ones included, newest first. */
    public List<KeyView> list() throws SQLException {
        return DatabaseFailures.read(data, entityManager -> new JpaApiKeyRepository(entityManager).newestFirst()
                .stream().map(ApiKeys::view).toList());
    }

    public Optional<KeyView> find(String keyId) throws SQLException {
        if (keyId == null) {
            return Optional.empty();
        }
        return DatabaseFailures.read(data, entityManager -> new JpaApiKeyRepository(entityManager).find(keyId)
                .map(ApiKeys::view));
    }

    /**
     * Revokes a key at once: the next request that presents it, on any node, is refused. Audited; revoking a revoked
     * key changes nothing and writes no second entry.
     *
     * @return the key as it is now, or empty if there is no such key
     */
    public Optional<KeyView> revoke(String keyId, String actor, String reason) throws SQLException {
        if (keyId == null || keyId.isBlank()) {
            return Optional.empty();
        }
        return DatabaseFailures.inTransaction(data, unit -> {
            Optional<ApiKey> key = new JpaApiKeyRepository(unit.entityManager()).findForUpdate(keyId.trim());
            if (key.isPresent()) {
                Instant now = clock.instant();
                if (key.get().revoke(actor, now)) {
                    unit.flush();
                    new JpaAuditLog(unit.entityManager()).append(new AuditEntry(now, actor, "REVOKE_API_KEY", TARGET,
                            key.get().id(), describe(key.get()), "revoked", reason));
                }
            }
            return key.map(ApiKeys::view);
        });
    }

    /**
     * The caller a presented key (or the legacy token) stands for; empty for anything else, a revoked key included.
     * Records the key's use when the recorded one is older than {@link #LAST_USE_PRECISION}.
     */
    public Optional<ApiCaller> authenticate(String presented) throws SQLException {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        if (legacyTokenHash != null && MessageDigest.isEqual(legacyTokenHash, ApiKey.sha256(presented))) {
            return Optional.of(ApiCaller.legacy());
        }
        Optional<String> keyId = ApiKey.idOf(presented);
        if (keyId.isEmpty()) {
            return Optional.empty();
        }
        Optional<ApiKey> key = DatabaseFailures.read(data, entityManager -> new JpaApiKeyRepository(entityManager)
                .find(keyId.get()));
        if (key.isEmpty() || key.get().revoked() || !key.get().matches(presented)) {
            return Optional.empty();
        }
        recordUse(key.get());
        return Optional.of(new ApiCaller(key.get().id(), key.get().name(), key.get().scopes(), key.get().tenant()));
    }

    /** Notes the key's use unless a recent one is recorded; a failure to note it refuses nobody. */
    private void recordUse(ApiKey key) {
        Instant now = clock.instant();
        Instant staleBefore = now.minus(LAST_USE_PRECISION);
        if (key.lastUsedAt() != null && !key.lastUsedAt().isBefore(staleBefore)) {
            return;
        }
        try {
            DatabaseFailures.inTransaction(data, unit -> new JpaApiKeyRepository(unit.entityManager())
                    .recordUse(key.id(), now, staleBefore));
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "could not record the use of API key " + key.id(), e);
        }
    }

    private static String describe(ApiKey key) {
        return "name=" + key.name() + "; scopes=" + String.join(" ", ApiScope.codes(key.scopes())) + "; tenant="
                + (key.tenant() == null ? "every tenant" : key.tenant().value());
    }

    private static KeyView view(ApiKey key) {
        return new KeyView(key.id(), key.name(), ApiScope.codes(key.scopes()),
                key.tenant() == null ? null : key.tenant().value(), key.createdAt(), key.createdBy(), key.revokedAt(),
                key.revokedBy(), key.lastUsedAt());
    }
}
