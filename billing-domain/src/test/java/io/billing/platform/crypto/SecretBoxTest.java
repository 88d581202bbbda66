package io.billing.platform.crypto;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretBoxTest {

    private static final String SECRET = "tcbsec_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    @Test
    void aSealedSecretOpensAgainAndNeverShowsTheSecret() {
        SecretBox box = SecretBox.of(randomKey());
        String sealed = box.seal(SECRET);
        assertTrue(sealed.startsWith("v1:"), sealed);
        assertFalse(sealed.contains(SECRET));
        assertFalse(sealed.contains(SECRET.substring(7)));
        assertEquals(SECRET, box.open(sealed));
        assertEquals(12 + SECRET.length() + 16, Base64.getDecoder().decode(sealed.substring(3)).length,
                "nonce, ciphertext and tag");
    }

    @Test
    void everySealingHasItsOwnNonce() {
        SecretBox box = SecretBox.of(randomKey());
        String first = box.seal(SECRET);
        String second = box.seal(SECRET);
        assertNotEquals(first, second);
        assertNotEquals(first.substring(3, 19), second.substring(3, 19), "a new nonce, not only a new tail");
        assertEquals(box.open(first), box.open(second));
    }

    @Test
    void aChangedValueIsRefused() {
        SecretBox box = SecretBox.of(randomKey());
        byte[] bytes = Base64.getDecoder().decode(box.seal(SECRET).substring(3));
        for (int at : new int[] {0, 11, 12, 20, bytes.length - 1}) { // nonce, ciphertext and tag
            byte[] changed = bytes.clone();
            changed[at] ^= 0x01;
            String tampered = "v1:" + Base64.getEncoder().encodeToString(changed);
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> box.open(tampered));
            assertFalse(refused.getMessage().contains(SECRET));
        }
        assertThrows(IllegalStateException.class, () -> box.open("v1:AAAA"), "too short");
        assertThrows(IllegalStateException.class, () -> box.open("v1:not base64!"));
    }

    @Test
    void anotherKeyCannotOpenIt() {
        String sealed = SecretBox.of(randomKey()).seal(SECRET);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> SecretBox.of(randomKey()).open(sealed));
        assertTrue(refused.getMessage().contains("does not open with the configured encryption key"),
                refused.getMessage());
        assertThrows(IllegalStateException.class, () -> SecretBox.none().open(sealed), "no key at all");
    }

    @Test
    void whileAKeyIsRotatedThePreviousOneOnlyOpens() {
        byte[] oldKey = randomKey();
        byte[] newKey = randomKey();
        String sealedBefore = SecretBox.of(oldKey).seal(SECRET);
        SecretBox rotating = SecretBox.of(newKey).withPrevious(oldKey);
        assertEquals(SECRET, rotating.open(sealedBefore));
        assertFalse(rotating.isCurrent(sealedBefore), "to be sealed anew");
        assertFalse(rotating.isCurrent(SECRET), "plain: to be sealed");
        String sealedNow = rotating.seal(SECRET);
        assertTrue(rotating.isCurrent(sealedNow));
        assertEquals(SECRET, SecretBox.of(newKey).open(sealedNow), "sealed with the new key");
        assertThrows(IllegalStateException.class, () -> SecretBox.of(oldKey).open(sealedNow));

        SecretBox removing = SecretBox.none().withPrevious(newKey);
        assertFalse(removing.isCurrent(sealedNow));
        assertEquals(SECRET, removing.seal(removing.open(sealedNow)), "stored plain again");
        assertTrue(removing.isCurrent(SECRET));
        assertEquals(SECRET, SecretBox.fromConfigured(Optional.empty(),
                Optional.of(Base64.getEncoder().encodeToString(newKey))).open(sealedNow));
        assertFalse(rotating.toString().contains(Base64.getEncoder().encodeToString(oldKey)));
    }

    @Test
    void aPlainSecretStoredBeforeSealingIsReadAsItIs() {
        assertEquals(SECRET, SecretBox.of(randomKey()).open(SECRET));
        assertEquals(SECRET, SecretBox.none().open(SECRET));
        assertFalse(SecretBox.isSealed(SECRET));
    }

    @Test
    void withoutAKeySecretsAreStoredAsTheyCome() {
        SecretBox none = SecretBox.fromConfigured(Optional.of("  "));
        assertFalse(none.hasKey());
        assertEquals(SECRET, none.seal(SECRET));
        assertFalse(SecretBox.fromConfigured(Optional.empty()).hasKey());
    }

    @Test
    void theKeyIsBase64OfExactly32BytesAndNeverShown() {
        byte[] key = randomKey();
        String configured = Base64.getEncoder().encodeToString(key);
        SecretBox box = SecretBox.fromConfigured(Optional.of(configured));
        assertTrue(box.hasKey());
        assertEquals(SECRET, SecretBox.of(key).open(box.seal(SECRET)), "the same key either way");
        assertFalse(box.toString().contains(configured));
        IllegalArgumentException shortKey = assertThrows(IllegalArgumentException.class,
                () -> SecretBox.fromConfigured(Optional.of(Base64.getEncoder().encodeToString(new byte[16]))));
        assertTrue(shortKey.getMessage().contains("256 bits"));
        IllegalArgumentException notBase64 = assertThrows(IllegalArgumentException.class,
                () -> SecretBox.fromConfigured(Optional.of("not*base64*at*all")));
        assertFalse(notBase64.getMessage().contains("not*base64"), "the configured value is not repeated");
    }
}
