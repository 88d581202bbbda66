package io.billing.staff;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Staff password hashing with Jakarta Security's PBKDF2 (HMAC-SHA256, 120,000 iterations, 32-byte salt).
 *
 * <p>The operator API authenticates every request with HTTP Basic, and a PBKDF2 check costs tens of
 * milliseconds by design; so a successful check is remembered for five minutes under a digest of user,
 * password and the stored hash. A changed password or hash misses the cache; nothing in it is a password.
 */
@ApplicationScoped
public class StaffPasswords {

    private static final long REMEMBER_NANOS = 5L * 60 * 1_000_000_000L;
    private static final int MAX_REMEMBERED = 1_000;

    @Inject
    Pbkdf2PasswordHash pbkdf2;

    private final Map<String, Long> verified = new ConcurrentHashMap<>();

    @PostConstruct
    void configure() {
        pbkdf2.initialize(Map.of(
                "Pbkdf2PasswordHash.Algorithm", "PBKDF2WithHmacSHA256",
                "Pbkdf2PasswordHash.Iterations", "120000",
                "Pbkdf2PasswordHash.SaltSizeBytes", "32",
                "Pbkdf2PasswordHash.KeySizeBytes", "32"));
    }

    public String hash(String password) {
        if (password == null || password.length() < 12) {
            throw new IllegalArgumentException("a staff password has at least 12 characters");
        }
        return pbkdf2.generate(password.toCharArray());
    }

    public boolean verify(String username, String password, String storedHash) {
        if (password == null) {
            return false;
        }
        String key = digest(username + '\u0000' + password + '\u0000' + storedHash);
        Long until = verified.get(key);
        long now = System.nanoTime(); // wall-clock cache expiry, not business time
        if (until != null && until - now > 0) {
            return true;
        }
        boolean ok = pbkdf2.verify(password.toCharArray(), storedHash);
        if (ok) {
            if (verified.size() >= MAX_REMEMBERED) {
                verified.clear();
            }
            verified.put(key, now + REMEMBER_NANOS);
        }
        return ok;
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
