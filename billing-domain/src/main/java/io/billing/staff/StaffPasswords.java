package io.billing.staff;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Staff password hashes: PBKDF2-HMAC-SHA256 with {@value #ITERATIONS} iterations (OWASP's figure for it), a
 * 32-byte salt and a 32-byte key, stored as {@code PBKDF2WithHmacSHA256:<iterations>:<salt>:<key>} (base64), the
 * format of Jakarta Security's {@code Pbkdf2PasswordHash}, in which the hashes of earlier releases were made. The
 * iterations travel with each hash, so a hash made with fewer still verifies, and {@link #needsRehash} tells the
 * login to store it anew.
 *
 * <p>Nothing is remembered between checks: a cache of passwords found right would be a faster target for guessing
 * than the hashes themselves.
 */
public final class StaffPasswords {

    /** PBKDF2-HMAC-SHA256 iterations of every new hash. */
    public static final int ITERATIONS = 600_000;

    /** The shortest password accepted. */
    public static final int MIN_LENGTH = 12;

    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final int SALT_BYTES = 32;
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;
    /** Checked when the account does not exist, so that a wrong name costs as long as a wrong password. */
    private final String noSuchAccount;

    public StaffPasswords() {
        this(ITERATIONS);
    }

    /** With other iterations: for tests of hashes made with fewer. */
    StaffPasswords(int iterations) {
        this.iterations = iterations;
        // A random key under a random salt: checking a password against it costs a full hash and never matches, and
        // making it costs nothing at the start.
        byte[] salt = new byte[SALT_BYTES];
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(key);
        this.noSuchAccount = stored(iterations, salt, key);
    }

    /**
     * A new hash of {@code password}.
     *
     * @throws IllegalArgumentException for a password shorter than {@value #MIN_LENGTH} characters
     */
    public String hash(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("a staff password has at least " + MIN_LENGTH + " characters");
        }
        return make(password.toCharArray(), iterations);
    }

    /** A new hash of a password that was just found right: made again, whatever today's length rule says. */
    public String hashAgain(String password) {
        return make(password.toCharArray(), iterations);
    }

    /** Whether {@code password} matches {@code storedHash}; false for a malformed hash. */
    public boolean verify(String password, String storedHash) {
        Parsed parsed = Parsed.of(storedHash);
        if (password == null || parsed == null) {
            return false;
        }
        byte[] computed = derive(password.toCharArray(), parsed.salt(), parsed.iterations(), parsed.key().length);
        return MessageDigest.isEqual(computed, parsed.key());
    }

    /** The check of a login whose account does not exist: as costly as a real one, and never a match. */
    public boolean verifyNoAccount(String password) {
        verify(password == null ? "" : password, noSuchAccount);
        return false;
    }

    /** Whether a hash that verified was made with fewer iterations (or another form) than new hashes get. */
    public boolean needsRehash(String storedHash) {
        Parsed parsed = Parsed.of(storedHash);
        return parsed == null || parsed.iterations() < iterations || parsed.key().length < KEY_BYTES;
    }

    private static String make(char[] password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return stored(iterations, salt, derive(password, salt, iterations, KEY_BYTES));
    }

    private static String stored(int iterations, byte[] salt, byte[] key) {
        Base64.Encoder base64 = Base64.getEncoder();
        return ALGORITHM + ":" + iterations + ":" + base64.encodeToString(salt) + ":" + base64.encodeToString(key);
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int keyBytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, keyBytes * 8);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is part of every Java runtime", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** A stored hash taken apart. */
    private record Parsed(int iterations, byte[] salt, byte[] key) {

        static Parsed of(String stored) {
            String[] parts = stored == null ? new String[0] : stored.split(":");
            if (parts.length != 4 || !ALGORITHM.equals(parts[0])) {
                return null;
            }
            try {
                int iterations = Integer.parseInt(parts[1]);
                byte[] salt = Base64.getDecoder().decode(parts[2]);
                byte[] key = Base64.getDecoder().decode(parts[3]);
                return iterations > 0 && salt.length > 0 && key.length > 0 ? new Parsed(iterations, salt, key) : null;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }
}
