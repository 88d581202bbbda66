package io.billing.testsupport;

import io.billing.entitlement.LicenceKeys;

import java.nio.charset.StandardCharsets;

/** The service's own secrets as tests configure them. */
public final class TestSecrets {

    /** The licence key secret of the tests' service. */
    public static final String LICENCE_KEY_SECRET = "licence-key-secret-of-the-tests-0123456789";

    private TestSecrets() {
    }

    public static LicenceKeys licenceKeys() {
        return new LicenceKeys(LICENCE_KEY_SECRET.getBytes(StandardCharsets.UTF_8));
    }
}
