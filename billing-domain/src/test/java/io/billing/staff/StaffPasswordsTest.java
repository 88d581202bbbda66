package io.billing.staff;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Staff password hashes: today's iterations, the hashes of earlier releases, and what is refused. */
class StaffPasswordsTest {

    /** Made by Jakarta Security's Pbkdf2PasswordHash (Payara's Soteria) as earlier releases stored hashes. */
    private static final String EARLIER_RELEASE = "PBKDF2WithHmacSHA256:120000:bfP059rSUDwo1icadbMoob+pCXRLl2SbH+SASzmHGwc="
            + ":9RoQ33pKU88hD6Ed3kDbvsq0hXMDm2egFIa0+gRd3Lo=";

    private final StaffPasswords passwords = new StaffPasswords();

    @Test
    void aNewHashHasSixHundredThousandIterationsAndItsOwnSalt() {
        String hash = passwords.hash("correct horse battery");
        assertTrue(hash.startsWith("PBKDF2WithHmacSHA256:600000:"), hash);
        assertTrue(passwords.verify("correct horse battery", hash));
        assertFalse(passwords.verify("correct horse batterY", hash));
        assertFalse(passwords.needsRehash(hash));
        assertNotEquals(hash, passwords.hash("correct horse battery"), "a new salt each time");
    }

    @Test
    void aHashOfAnEarlierReleaseStillVerifiesAndAsksToBeMadeAgain() {
        assertTrue(passwords.verify("correct horse battery", EARLIER_RELEASE));
        assertFalse(passwords.verify("correct horse batter", EARLIER_RELEASE));
        assertTrue(passwords.needsRehash(EARLIER_RELEASE));
        String again = passwords.hashAgain("correct horse battery");
        assertFalse(passwords.needsRehash(again));
        assertTrue(passwords.verify("correct horse battery", again));
    }

    @Test
    void shortPasswordsMalformedHashesAndMissingAccountsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> passwords.hash("eleven-char"));
        assertThrows(IllegalArgumentException.class, () -> passwords.hash(null));
        assertFalse(passwords.verify("correct horse battery", "plain text"));
        assertFalse(passwords.verify("correct horse battery", "PBKDF2WithHmacSHA256:x:AA==:AA=="));
        assertFalse(passwords.verify("correct horse battery", "PBKDF2WithHmacSHA1:1000:AA==:AA=="));
        assertFalse(passwords.verify(null, EARLIER_RELEASE));
        assertTrue(passwords.needsRehash("plain text"));
        assertFalse(passwords.verifyNoAccount("correct horse battery"));
        assertFalse(passwords.verifyNoAccount(null));
    }
}
