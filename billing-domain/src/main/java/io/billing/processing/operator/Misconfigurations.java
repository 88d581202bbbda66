package io.billing.processing.operator;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What is set up wrong and what to do about it, in plain words, for the banner on every admin page: no webhook secret
 * (every delivery is refused), no Stripe API key (no recovery of missed events, disputes on unseen charges wait), a
 * connector whose deliveries fail.
 *
 * <p>Every page asks, so the answer is kept for {@code fresh} (a few seconds): the settings never change while the
 * service runs, and the failing connectors are one read of the outbox's failing messages per node that often at most.
 * When that read fails the settings' warnings still stand; the pages report the database themselves.
 */
public final class Misconfigurations {

    /** What is wrong. */
    public enum Kind {
        NO_WEBHOOK_SECRET, NO_STRIPE_API_KEY, CONNECTOR_FAILING
    }

    /**
     * One thing to fix.
     *
     * @param subject the destination of a failing connector; null for the others
     * @param text    what is wrong and what to do, in plain words
     */
    public record Warning(Kind kind, String subject, String text) {
    }

    /** The outbox's destinations whose messages fail now. */
    @FunctionalInterface
    public interface FailingConnectors {
        List<OutboxOperations.FailingDestination> read() throws SQLException;
    }

    /** A connector in words: what people call it (one thing or several), and what to check when it fails. */
    private record Connector(String name, boolean several, String check) {
        Connector(String name, String check) {
            this(name, false, check);
        }
    }

    private static final Map<String, Connector> CONNECTORS = Map.of(
            "rating", new Connector("The rating edge",
                    "Check that the rating edge is up and that RATING_MP_REST_URL (and its API key) point at it"),
            "licence", new Connector("The licence service",
                    "Check that the licence service is up and that LICENCE_MP_REST_URL (and its API key) point at it"),
            "commerce.order-lookup", new Connector("The commerce API's store order checks",
                    "Check that the commerce API is up and that COMMERCE_MP_REST_URL (and its API key) point at it"),
            "tenant-callback", new Connector("Tenants' callbacks", true,
                    "Ask the tenants concerned whether their callback endpoint is up, and check each tenant's callback"
                            + " URL (the operator API's /api/admin/tenants/{id}/callback)"),
            "tenant-notifications", new Connector("The tenant notifications receiver",
                    "Check that it is up and that BILLING_OUTBOX_TENANT_NOTIFICATIONS_URL points at it"),
            "stripe.object-read", new Connector("Reads from the Stripe API",
                    "Check that STRIPE_API_KEY is valid and may read charges, payment intents, invoices and customers"));

    private static final int MAX_REASON = 160;
    private static final Logger LOG = Logger.getLogger(Misconfigurations.class.getName());

    private final boolean webhookSecretConfigured;
    private final boolean stripeApiKeyConfigured;
    private final FailingConnectors connectors;
    private final Clock clock;
    private final Duration fresh;

    private List<Warning> current;
    private Instant readAt;

    public Misconfigurations(boolean webhookSecretConfigured, boolean stripeApiKeyConfigured,
                             FailingConnectors connectors, Clock clock, Duration fresh) {
        this.webhookSecretConfigured = webhookSecretConfigured;
        this.stripeApiKeyConfigured = stripeApiKeyConfigured;
        this.connectors = Objects.requireNonNull(connectors, "connectors");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.fresh = Objects.requireNonNull(fresh, "fresh");
    }

    /** What is wrong now, as read at most {@code fresh} ago; empty when nothing is. */
    public synchronized List<Warning> current() {
        Instant now = clock.instant();
        if (current == null || !now.isBefore(readAt.plus(fresh))) {
            List<OutboxOperations.FailingDestination> failing;
            try {
                failing = connectors.read();
            } catch (SQLException | RuntimeException e) {
                LOG.log(Level.FINE, "failing connectors not read for the admin's banner", e);
                failing = List.of();
            }
            current = of(webhookSecretConfigured, stripeApiKeyConfigured, failing);
            readAt = now;
        }
        return current;
    }

    /** What is wrong with these settings and these failing destinations, most serious first. */
    public static List<Warning> of(boolean webhookSecretConfigured, boolean stripeApiKeyConfigured,
                                   List<OutboxOperations.FailingDestination> failing) {
        List<Warning> warnings = new ArrayList<>();
        if (!webhookSecretConfigured) {
            warnings.add(new Warning(Kind.NO_WEBHOOK_SECRET, null, "No webhook secret is configured, so every delivery"
                    + " from Stripe is refused (Stripe keeps them and tries again for up to three days). Set"
                    + " STRIPE_WEBHOOK_SECRETS to the signing secret of the endpoint (whsec_…) on every instance and"
                    + " restart them."));
        }
        if (!stripeApiKeyConfigured) {
            warnings.add(new Warning(Kind.NO_STRIPE_API_KEY, null, "No Stripe API key is configured, so events Stripe"
                    + " failed to deliver are not recovered, Checkout and the Billing Portal are unavailable, and"
                    + " disputes and refunds of charges this service has not seen wait among the unmapped events. Set"
                    + " STRIPE_API_KEY on every instance and restart them; until then, assign those events a tenant by"
                    + " hand."));
        }
        for (OutboxOperations.FailingDestination destination : failing) {
            if (destination.failed() + destination.retrying() > 0) {
                warnings.add(new Warning(Kind.CONNECTOR_FAILING, destination.destination(), connectorText(destination)));
            }
        }
        return List.copyOf(warnings);
    }

    private static String connectorText(OutboxOperations.FailingDestination destination) {
        Connector connector = CONNECTORS.getOrDefault(destination.destination(),
                new Connector("The connector " + destination.destination(), "Check that its receiver is up and configured"));
        List<String> counts = new ArrayList<>(2);
        if (destination.failed() > 0) {
            counts.add(messages(destination.failed()) + " failed for good");
        }
        if (destination.retrying() > 0) {
            counts.add(messages(destination.retrying()) + (destination.retrying() == 1 ? " is" : " are")
                    + " retrying after errors");
        }
        String reason = destination.latestReason() == null || destination.latestReason().isBlank() ? ""
                : " (latest: " + shortened(destination.latestReason()) + ")";
        String then = destination.failed() > 0 ? ", then send the failed messages again on the Failures page."
                : "; messages that fail for good can be sent again on the Failures page.";
        return connector.name() + (connector.several() ? " are" : " is") + " failing: " + String.join(" and ", counts) + reason + ". " + connector.check()
                + then;
    }

    private static String messages(long count) {
        return String.format(Locale.ROOT, "%d message%s", count, count == 1 ? "" : "s");
    }

    private static String shortened(String reason) {
        String oneLine = reason.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_REASON ? oneLine : oneLine.substring(0, MAX_REASON - 1) + "…";
    }
}
