package io.billing.web;

import io.billing.apikey.ApiKeys;
import io.billing.platform.logging.BackgroundLogWriter;
import io.billing.platform.persistence.DatabaseSettings;
import io.billing.platform.persistence.SchemaMigration;
import io.billing.composition.ProcessingRuntime;
import io.billing.entitlement.Licences;
import io.billing.notification.TenantCallbacks;
import io.billing.refusal.RefusalLog;
import io.billing.stripe.webhook.WebhookSignatureVerifier;
import io.billing.web.demo.DemoFeeder;
import io.billing.web.demo.DemoMode;
import io.billing.web.security.StaffBootstrap;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.sql.SQLException;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Runs when the WAR starts, before the first request: migrates the schema, starts the processing engine,
 * then tells whoever started the service, once the server is ready, where to point Stripe and where the admin
 * is, and warns when the webhook cannot verify anything yet or the legacy service token still opens every tenant.
 * Prints no secret, only how many there are.
 */
@WebListener
public class ApplicationStartup implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(ApplicationStartup.class.getName());
    /** A server that announces no "ready" line (a full Payara Server) gets the banner after this long. */
    private static final Duration BANNER_FALLBACK = Duration.ofSeconds(60);

    @Inject
    SchemaMigration schemaMigration;

    @Inject
    @ConfigProperty(name = "billing.public-url", defaultValue = "http://localhost:8080")
    String publicUrl;

    @Inject
    Config config;

    @Inject
    WebhookSignatureVerifier verifier;

    @Inject
    ProcessingRuntime processing;

    @Inject
    StaffBootstrap staff;

    /** Made once the schema is migrated: the licence keys read their secret from it. */
    @Inject
    Provider<Licences> licences;

    @Inject
    Provider<TenantCallbacks> callbacks;

    @Inject
    Provider<RefusalLog> refusals;

    @Inject
    DemoFeeder demo;

    @Inject
    ApiKeys apiKeys;

    @Inject
    DemoMode demoMode;

    @Inject
    @ConfigProperty(name = "billing.log.event-lines", defaultValue = "true")
    boolean eventLines;

    /** Writes the per-event lines, while they are on. */
    private BackgroundLogWriter eventLineWriter;

    @Inject
    @ConfigProperty(name = "billing.session.cookie-secure", defaultValue = "false")
    boolean secureCookie;

    /** Stands out from the server's log lines, which all start with a bracketed header. */
    static String banner(String base, String database, int webhookSecrets, boolean oneIsTheDemos) {
        String rule = "=".repeat(78);
        return String.join(System.lineSeparator(), "", rule,
                "  Billing service ready",
                "  Stripe webhook URL:  " + base + "/api/stripe/webhook",
                "  Admin:               " + base + "/admin/",
                "  Database:            " + (database.startsWith("jdbc:h2:") ? "embedded H2, " : "PostgreSQL, ")
                        + database,
                "  Webhook secrets:     " + (webhookSecrets == 0
                        ? "none configured: every delivery is answered 503 until STRIPE_WEBHOOK_SECRETS is set"
                        : webhookSecrets + " configured" + (oneIsTheDemos ? ", one of them demo mode's own" : "")),
                "  Operator API:        " + base + "/api/admin/events (HTTP Basic, staff accounts)",
                rule);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        processing.stop();
        if (eventLineWriter != null) {
            eventLineWriter.uninstall();
        }
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        Logger events = Logger.getLogger("io.billing.events");
        if (eventLines) {
            // A line per event: written from a thread of its own, not the request threads' and the workers'.
            eventLineWriter = BackgroundLogWriter.install(events);
        } else {
            // Failures are still logged (WARNING); the per-event INFO lines cost CPU at high volume.
            events.setLevel(java.util.logging.Level.WARNING);
        }
        if (secureCookie) {
            // Behind a TLS-terminating proxy the server sees plain HTTP and would not mark the cookie Secure itself.
            event.getServletContext().getSessionCookieConfig().setSecure(true);
        }
        schemaMigration.migrate();
        staff.checkSettings();
        try {
            staff.createFirstAdminIfNone();
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the first staff account", e);
        }
        try { // before the engine runs: licences keep their keys, callback secrets are stored with the current key
            licences.get().keepIssuedKeys();
            callbacks.get().resealStoredSecrets();
        } catch (SQLException e) {
            throw new IllegalStateException("could not keep the licence keys or seal the callback secrets", e);
        }
        processing.start();
        refusals.get(); // a billing.webhook.refusals.* setting out of range stops the start, not the first refusal
        String base = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        String database = DatabaseSettings.from(config).describe();
        int secrets = verifier.secretCount();
        boolean demoSecret = demoMode.enabled();
        new StartupBanner(() -> banner(base, database, secrets, demoSecret), BANNER_FALLBACK).printWhenServerReady();
        demo.startIfWanted();
        if (!verifier.isConfigured()) {
            LOG.warning("STRIPE_WEBHOOK_SECRETS is not set: every webhook delivery is answered 503 until it is.");
        }
        if (apiKeys.legacyTokenConfigured()) {
            LOG.warning("BILLING_SERVICE_TOKEN is set: it opens the tenant and billing APIs for every tenant with every"
                    + " scope. Give the SaaS application an API key (admin: API keys) and unset it; see docs/api.md.");
        }
    }
}
