package io.billing.apikey;

import io.billing.tenant.TenantId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A named key the SaaS application presents as {@code Authorization: Bearer <key>}: its scopes, optionally the one
 * tenant it may act for, who created it, whether and by whom it was revoked, and when it was last used.
 *
 * <p>A key reads {@code ak_<16 hex>_<43 base64url>}: its id, then a secret of 256 random bits. Only the SHA-256 of
 * the whole key is stored. A slow hash (PBKDF2, bcrypt) protects passwords, which people choose and which can be
 * guessed; nobody can guess 256 random bits, however fast each guess is, so one SHA-256 is as safe here and keeps
 * each request's check to microseconds, without a cache that could outlive a revocation. The id, the key's
 * beginning, finds the row; the hashes are compared in constant time. The key itself is shown once, when it is
 * made ({@link #issue}), and never again.
 */
@Entity
@Table(name = "api_key")
@NamedQuery(name = ApiKey.NEWEST_FIRST, query = "SELECT k FROM ApiKey k ORDER BY k.createdAt DESC, k.id")
public class ApiKey {

    static final String NEWEST_FIRST = "ApiKey.newestFirst";

    public static final int MAX_NAME = 100;
    private static final String PREFIX = "ak_";
    private static final Pattern KEY = Pattern.compile("ak_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");
    private static final int ID_LENGTH = PREFIX.length() + 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key just made: the entity to store, and the key itself, which exists nowhere else. */
    public record Issued(ApiKey key, String secret) {
    }

    @Id
    @Column(name = "key_id")
    private String id;

    @Column(name = "name", nullable = false, updatable = false)
    private String name;

    @Column(name = "secret_hash", nullable = false, updatable = false)
    private String secretHash;

    @Column(name = "scopes", nullable = false, updatable = false)
    private String scopes;

    @Column(name = "tenant_id", updatable = false)
    private TenantId tenant;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "created_by", nullable = false, updatable = false)
    private String createdBy;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    @Column(name = "revoked_by")
    private String revokedBy;

    /** Written with SQL by {@link ApiKeyRepository#recordUse}, never through the entity. */
    @Column(name = "last_used_at", insertable = false, updatable = false)
    private Instant lastUsedAt;

    /** For the persistence provider only. */
    protected ApiKey() {
    }

    private ApiKey(String id, String secretHash, String name, Set<ApiScope> scopes, TenantId tenant, String createdBy,
                   Instant now) {
        if (name == null || name.isBlank() || name.trim().length() > MAX_NAME) {
            throw new IllegalArgumentException("a key's name is 1 to " + MAX_NAME + " characters");
        }
        if (scopes == null || scopes.isEmpty()) {
            throw new IllegalArgumentException("a key needs at least one scope: "
                    + String.join(", ", ApiScope.codes(Set.of(ApiScope.values()))));
        }
        if (createdBy == null || createdBy.isBlank()) {
            throw new IllegalArgumentException("a key is created by someone");
        }
        this.id = id;
        this.secretHash = secretHash;
        this.name = name.trim();
        this.scopes = String.join(" ", ApiScope.codes(scopes));
        this.tenant = tenant;
        this.createdBy = createdBy;
        this.createdAt = Objects.requireNonNull(now, "now");
    }

    /**
     * A new key with a fresh id and secret.
     *
     * @param tenant the one tenant the key may act for, or null for every tenant
     * @throws IllegalArgumentException for a blank or long name, no scopes, or no creator
     */
    public static Issued issue(String name, Set<ApiScope> scopes, TenantId tenant, String createdBy, Instant now) {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        String keyId = PREFIX + HexFormat.of().formatHex(id);
        String key = keyId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String hash = HexFormat.of().formatHex(sha256(key));
        return new Issued(new ApiKey(keyId, hash, name, scopes, tenant, createdBy, now), key);
    }

    /** The id a presented key claims (its beginning), or empty if it does not have a key's form. */
    public static Optional<String> idOf(String presented) {
        return presented != null && KEY.matcher(presented).matches()
                ? Optional.of(presented.substring(0, ID_LENGTH)) : Optional.empty();
    }

    /** Whether the presented key is this one: the hashes compared in constant time. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(sha256(presented), HexFormat.of().parseHex(secretHash));
    }

    /** Revokes the key; false if it was revoked already (then nothing changes). */
    boolean revoke(String actor, Instant now) {
        if (revokedAt != null) {
            return false;
        }
        this.revokedAt = Objects.requireNonNull(now, "now");
        this.revokedBy = Objects.requireNonNull(actor, "actor");
        return true;
    }

    /** SHA-256 of text, for keys and for comparing the legacy token in constant time. */
    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public Set<ApiScope> scopes() {
        return ApiScope.parse(scopes);
    }

    /** The one tenant the key may act for, or null for every tenant. */
    public TenantId tenant() {
        return tenant;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public String createdBy() {
        return createdBy;
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    public Instant revokedAt() {
        return revokedAt;
    }

    public String revokedBy() {
        return revokedBy;
    }

    public Instant lastUsedAt() {
        return lastUsedAt;
    }
}
