package io.billing.platform.crypto;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Seals a secret for storage and opens it again: AES-256-GCM with a random 96-bit nonce per value, stored as
 * {@code v1:<base64 of nonce and ciphertext with its tag>}. GCM authenticates as it decrypts, so a value changed
 * in the database, or opened with another key, is refused rather than read as some other secret.
 *
 * <p>A stored value without the {@code v1:} prefix is a secret kept before sealing existed and is read as it is.
 * Without a key ({@link #none()}) values are stored as they come and sealed ones cannot be opened. Neither the key
 * nor a secret appears in an exception's message or in {@link #toString()}.
 */
public final class SecretBox {

    /** The prefix of a sealed value; a later format would get another. */
    public static final String SEALED_PREFIX = "v1:";

    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private SecretBox(SecretKeySpec key) {
        this.key = key;
    }

    /** Seals with a 256-bit key. */
    public static SecretBox of(byte[] key) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("the encryption key must be 256 bits (32 bytes)");
        }
        return new SecretBox(new SecretKeySpec(key.clone(), "AES"));
    }

    /** The key as configured: base64 of 32 bytes; empty or absent is no key. */
    public static SecretBox fromConfigured(Optional<String> base64Key) {
        String configured = base64Key.map(String::trim).orElse("");
        if (configured.isEmpty()) {
            return none();
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(configured);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the encryption key is not base64 (32 random bytes, base64-encoded)");
        }
        return of(key);
    }

    /** No key configured: secrets are stored as they are. */
    public static SecretBox none() {
        return new SecretBox(null);
    }

    public boolean hasKey() {
        return key != null;
    }

    /** Whether a stored value is sealed (else it is a plain secret). */
    public static boolean isSealed(String stored) {
        return stored != null && stored.startsWith(SEALED_PREFIX);
    }

    /** What to store for a secret: sealed with the key, or the secret itself without one. */
    public String seal(String secret) {
        if (secret == null) {
            throw new IllegalArgumentException("nothing to seal");
        }
        if (key == null) {
            return secret;
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return SEALED_PREFIX + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
        }
    }

    /**
     * The secret a stored value holds: opened if sealed, as it is if plain.
     *
     * @throws IllegalStateException if it is sealed and cannot be opened: no key, another key, or changed
     */
    public String open(String stored) {
        if (!isSealed(stored)) {
            return stored;
        }
        if (key == null) {
            throw new IllegalStateException("a sealed secret cannot be opened: no encryption key is configured");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(stored.substring(SEALED_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("a sealed secret is damaged (not base64)");
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("a sealed secret is damaged (too short)");
        }
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("a sealed secret does not open with the configured encryption key "
                    + "(another key, or the stored value was changed)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return key == null ? "SecretBox[no key]" : "SecretBox[AES-256-GCM]";
    }
}
