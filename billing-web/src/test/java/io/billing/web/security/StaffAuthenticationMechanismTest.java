package io.billing.web.security;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mechanism's small rules: which bodies a change through the session may have; what a Basic header carries. */
class StaffAuthenticationMechanismTest {

    @Test
    void aJsonContentTypeIsTheOnlyBodyACrossSiteFormCannotSend() {
        assertTrue(StaffAuthenticationMechanism.isJson("application/json"));
        assertTrue(StaffAuthenticationMechanism.isJson("Application/JSON; charset=utf-8"));
        assertFalse(StaffAuthenticationMechanism.isJson("text/plain; application/json"));
        assertFalse(StaffAuthenticationMechanism.isJson("application/x-www-form-urlencoded"));
        assertFalse(StaffAuthenticationMechanism.isJson("multipart/form-data; boundary=json"));
        assertFalse(StaffAuthenticationMechanism.isJson(null));
    }

    @Test
    void aBasicHeaderCarriesANameAndAPasswordWithColons() {
        var credential = StaffAuthenticationMechanism.decode(encode("dana:pass:word")).orElseThrow();
        assertEquals("dana", credential.getCaller());
        assertEquals("pass:word", credential.getPasswordAsString());
        assertTrue(StaffAuthenticationMechanism.decode(encode("no colon")).isEmpty());
        assertTrue(StaffAuthenticationMechanism.decode("not base64!").isEmpty());
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
