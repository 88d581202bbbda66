package io.billing.platform.crypto;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Seals a secret for storage and opens it again: AES-256-GCM with a random 96-bit nonce per value, stored as
 * {@code v1:<base64 of nonce and ciphertext with its tag>}. GCM authenticates as it decrypts, so a value changed
 * in the database, or opened with another key, is refused rather than read as some other secret.
 *
 * <p>A stored value without the {@code v1:} prefix is a secret kept before sealing existed and is read as it is.
 * Without a key ({@link #none()}) values are stored as they come and sealed ones cannot be opened. While a key is
 * rotated, the previous one still opens what it sealed ({@link #withPrevious}), and {@link #isCurrent} tells which
 * stored values to seal anew. Neither a key nor a secret appears in an exception's message or in
 * {@link #toString()}.
 */
public final class SecretBox {

    /** The prefix of a sealed value; a later format would get another. */
    public static final String SEALED_PREFIX = "v1:";

    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;

    private final SecretKeySpec key;
    /** Keys that only open: the ones being rotated out. */
    private final List<SecretKeySpec> previous;
    private final SecureRandom random = new SecureRandom();

    private SecretBox(SecretKeySpec key, List<SecretKeySpec> previous) {
        this.key = key;
        this.previous = List.copyOf(previous);
    }

    /** Seals with a 256-bit key. */
    public static SecretBox of(byte[] key) {
        return new SecretBox(spec(key), List.of());
    }

    /** This box, also opening what an earlier 256-bit key sealed. */
    public SecretBox withPrevious(byte[] previousKey) {
        List<SecretKeySpec> keys = new ArrayList<>(previous);
        keys.add(spec(previousKey));
        return new SecretBox(key, keys);
    }

    private static SecretKeySpec spec(byte[] key) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("the encryption key must be 256 bits (32 bytes)");
        }
        return new SecretKeySpec(key.clone(), "AES");
    }

    /**
     * The keys as configured, each base64 of 32 bytes; empty or absent is none. The previous key only opens: set
     * while rotating, until every value is sealed with the current key (or, without a current key, stored plain).
     */
    public static SecretBox fromConfigured(Optional<String> base64Key, Optional<String> base64PreviousKey) {
        SecretBox box = decoded(base64Key).map(SecretBox::of).orElseGet(SecretBox::none);
        return decoded(base64PreviousKey).map(box::withPrevious).orElse(box);
    }

    /** The key as configured, without a previous one. */
    public static SecretBox fromConfigured(Optional<String> base64Key) {
        return fromConfigured(base64Key, Optional.empty());
    }

    private static Optional<byte[]> decoded(Optional<String> base64Key) {
        String configured = base64Key.map(String::trim).orElse("");
        if (configured.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Base64.getDecoder().decode(configured));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the encryption key is not base64 (32 random bytes, base64-encoded)");
        }
    }

    /** No key configured: secrets are stored as they are. */
    public static SecretBox none() {
        return new SecretBox(null, List.of());
    }

    public boolean hasKey() {
        return key != null;
    }

    /** Whether a stored value is sealed (else it is a plain secret). */
    public static boolean isSealed(String stored) {
        return stored != null && stored.startsWith(SEALED_PREFIX);
    }

    /**
     * Whether a stored value is as this box would store it now: sealed with the current key, or plain where there
     * is none. Else it is to be stored anew ({@code seal(open(stored))}).
     */
    public boolean isCurrent(String stored) {
        if (key == null) {
            return !isSealed(stored);
        }
        return isSealed(stored) && opened(stored, key) != null;
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
        if (key == null && previous.isEmpty()) {
            throw new IllegalStateException("a sealed secret cannot be opened: no encryption key is configured");
        }
        List<SecretKeySpec> keys = new ArrayList<>(previous.size() + 1);
        if (key != null) {
            keys.add(key);
        }
        keys.addAll(previous);
        for (SecretKeySpec each : keys) {
            String opened = opened(stored, each);
            if (opened != null) {
                return opened;
            }
        }
        throw new IllegalStateException("a sealed secret does not open with the configured encryption key "
                + "(another key, or the stored value was changed)");
    }

    /** The secret, or null where this key does not open the value (another key, or a changed value). */
    private static String opened(String stored, SecretKeySpec with) {
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
            cipher.init(Cipher.DECRYPT_MODE, with, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return (key == null ? "SecretBox[no key" : "SecretBox[AES-256-GCM")
                + (previous.isEmpty() ? "]" : ", " + previous.size() + " previous]");
    }
}
