package io.billing.entitlement;

import io.billing.platform.crypto.SecretBox;
import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.DatabaseFailures;
import jakarta.persistence.EntityManager;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Licence keys: an HMAC-SHA256 of the tenant, the source (subscription or payment) and the subject (product or
 * order) under the service's licence key secret, so the same licence always has the same key and nobody who knows
 * only the ids can compute one. The keys issued before, an unkeyed SHA-256 of the same ids, are kept in
 * {@code licence_key} and win over the HMAC, so every licence already issued keeps its key
 * ({@link Licences#keepIssuedKeys}). So are the keys made with a rotated-out secret
 * ({@code billing.licence.previous-key-secret}): rotating the secret changes no issued key.
 *
 * <p>The secret is {@code billing.licence.key-secret} (at least 32 characters). Without it the service generates
 * one once, keeps it in {@code service_secret} (sealed with the encryption key where one is configured) and every
 * node uses that one. No secret is ever logged, nor shown by {@link #toString()}.
 */
public final class LicenceKeys {

    /** The shortest configured secret: 32 characters, 256 bits if random. */
    public static final int MIN_SECRET_LENGTH = 32;

    static final String SECRET_NAME = "licence-key-secret";

    /** The scheme of the keys issued before they were an HMAC, in {@code licence_key_kept}. */
    static final String LEGACY_SCHEME = "sha256";

    private static final Logger LOG = Logger.getLogger(LicenceKeys.class.getName());

    private static final String STORED_KEY_SQL =
            "SELECT licence_key FROM licence_key WHERE tenant_id = ? AND source = ? AND subject = ?";

    private final SecretKeySpec secret;
    /** The secret being rotated out, if configured: the keys made with it are kept. */
    private final SecretKeySpec previous;

    public LicenceKeys(byte[] secret) {
        this(spec(secret), null);
    }

    private LicenceKeys(SecretKeySpec secret, SecretKeySpec previous) {
        this.secret = secret;
        this.previous = previous;
    }

    private static SecretKeySpec spec(byte[] secret) {
        if (secret == null || secret.length < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("the licence key secret needs at least " + MIN_SECRET_LENGTH
                    + " characters");
        }
        return new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    /** These keys, and the licences issued under the previous secret keep theirs ({@link Licences#keepIssuedKeys}). */
    public LicenceKeys withPrevious(byte[] previousSecret) {
        return new LicenceKeys(secret, spec(previousSecret));
    }

    /**
     * The scheme of the previous secret's keys in {@code licence_key_kept}: {@code hmac:} and a fingerprint of it (an
     * HMAC of a fixed text under it, which does not reveal it).
     */
    Optional<String> previousScheme() {
        return previous == null ? Optional.empty()
                : Optional.of("hmac:" + HexFormat.of().formatHex(mac(previous, "licence key fingerprint"
                        .getBytes(StandardCharsets.UTF_8)), 0, 16));
    }

    /** The key a licence had under the previous secret. */
    String previousHmac(String tenantId, String source, String subject) {
        if (previous == null) {
            throw new IllegalStateException("no previous licence key secret is configured");
        }
        return shown(mac(previous, ids(tenantId, source, subject)));
    }

    /**
     * The configured secret, or else the one generated once and kept in the database (all nodes share it).
     *
     * @param sealing seals the generated secret in the database, where an encryption key is configured
     */
    public static LicenceKeys load(DataAccess data, Optional<String> configured, SecretBox sealing)
            throws SQLException {
        return load(data, configured, Optional.empty(), sealing);
    }

    /**
     * The configured secret, or else the generated one, and the previous secret while it is rotated out. A secret
     * configured where one was generated before replaces that one as a rotation does: the generated one is the
     * previous secret, unless another is configured.
     *
     * @param previous the secret the configured one replaces: the keys made with it are kept
     */
    public static LicenceKeys load(DataAccess data, Optional<String> configured, Optional<String> previous,
                                   SecretBox sealing) throws SQLException {
        LicenceKeys keys = current(data, configured, sealing);
        Optional<byte[]> previousSecret = configuredSecret(previous, "BILLING_LICENCE_PREVIOUS_KEY_SECRET");
        if (previousSecret.isEmpty() && configuredSecret(configured, "BILLING_LICENCE_KEY_SECRET").isPresent()) {
            previousSecret = generatedBefore(data, sealing);
        }
        return previousSecret.isPresent() ? keys.withPrevious(previousSecret.get()) : keys;
    }

    /** The secret generated while none was configured, if there is one and it opens. */
    private static Optional<byte[]> generatedBefore(DataAccess data, SecretBox sealing) throws SQLException {
        List<?> stored = DatabaseFailures.read(data, entityManager -> entityManager.createNativeQuery(
                "SELECT stored_value FROM service_secret WHERE name = ?").setParameter(1, SECRET_NAME).getResultList());
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(sealing.open((String) stored.get(0)).getBytes(StandardCharsets.UTF_8));
        } catch (IllegalStateException e) {
            LOG.warning("the licence key secret generated before cannot be opened (" + e.getMessage()
                    + "): the keys made with it are not kept");
            return Optional.empty();
        }
    }

    private static Optional<byte[]> configuredSecret(Optional<String> configured, String name) {
        String value = configured.map(String::trim).orElse("");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException(name + " must have at least " + MIN_SECRET_LENGTH
                    + " characters (32 random bytes, base64-encoded, say)");
        }
        return Optional.of(value.getBytes(StandardCharsets.UTF_8));
    }

    private static LicenceKeys current(DataAccess data, Optional<String> configured, SecretBox sealing)
            throws SQLException {
        Optional<byte[]> secret = configuredSecret(configured, "BILLING_LICENCE_KEY_SECRET");
        if (secret.isPresent()) {
            return new LicenceKeys(secret.get());
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String generated = Base64.getEncoder().encodeToString(random);
        String stored = DatabaseFailures.inTransaction(data, unit -> {
            try (PreparedStatement insert = unit.connection().prepareStatement(
                    "INSERT INTO service_secret (name, stored_value) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                insert.setString(1, SECRET_NAME);
                insert.setString(2, sealing.seal(generated));
                if (insert.executeUpdate() == 1) {
                    LOG.warning("BILLING_LICENCE_KEY_SECRET is not set: licence keys use a secret generated once and"
                            + " kept in the database");
                }
            }
            String kept = storedSecret(unit.connection());
            if (!sealing.isCurrent(kept)) { // stored before the encryption key was set, or with the previous one
                try (PreparedStatement seal = unit.connection().prepareStatement(
                        "UPDATE service_secret SET stored_value = ? WHERE name = ?")) {
                    seal.setString(1, sealing.seal(sealing.open(kept)));
                    seal.setString(2, SECRET_NAME);
                    seal.executeUpdate();
                }
            }
            return kept;
        });
        return new LicenceKeys(sealing.open(stored).getBytes(StandardCharsets.UTF_8));
    }

    private static String storedSecret(java.sql.Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT stored_value FROM service_secret WHERE name = ? FOR UPDATE")) {
            select.setString(1, SECRET_NAME);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    /** The licence's key: the one issued before HMAC keys where there is one, else the HMAC. */
    public String of(EntityManager entityManager, String tenantId, String source, String subject) {
        List<?> stored = entityManager.createNativeQuery(STORED_KEY_SQL).setParameter(1, tenantId)
                .setParameter(2, source).setParameter(3, subject).getResultList();
        return stored.isEmpty() ? hmac(tenantId, source, subject) : (String) stored.get(0);
    }

    /** The key of a licence issued from now on. */
    public String hmac(String tenantId, String source, String subject) {
        return shown(mac(secret, ids(tenantId, source, subject)));
    }

    private static byte[] mac(SecretKeySpec key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
    }

    /** The key licences had before: an unkeyed SHA-256 of the ids, kept only for the licences issued then. */
    static String legacy(String tenantId, String source, String subject) {
        try {
            return shown(MessageDigest.getInstance("SHA-256").digest(ids(tenantId, source, subject)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static byte[] ids(String tenantId, String source, String subject) {
        return (tenantId + "|" + source + "|" + subject).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code LIC-XXXXX-XXXXX-XXXXX-XXXXX}: the first 80 bits, in upper-case hex. */
    private static String shown(byte[] digest) {
        String hex = HexFormat.of().withUpperCase().formatHex(digest, 0, 10);
        return "LIC-" + hex.substring(0, 5) + "-" + hex.substring(5, 10) + "-" + hex.substring(10, 15) + "-"
                + hex.substring(15, 20);
    }

    @Override
    public String toString() {
        return previous == null ? "LicenceKeys[HMAC-SHA256]" : "LicenceKeys[HMAC-SHA256, previous secret kept]";
    }
}
