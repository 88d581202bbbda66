package io.billing.web.demo;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Whether demo mode is on, and the webhook secret it signs with: random per start, never logged or shown. */
@ApplicationScoped
public class DemoMode {

    @Inject
    @ConfigProperty(name = "billing.demo", defaultValue = "false")
    boolean enabled;

    private final String secret;

    public DemoMode() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        secret = "whsec_demo_" + HexFormat.of().formatHex(random);
    }

    public boolean enabled() {
        return enabled;
    }

    public String secret() {
        return secret;
    }
}
