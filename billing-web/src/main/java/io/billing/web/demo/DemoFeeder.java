package io.billing.web.demo;

import io.billing.inbox.InboxStatistics;
import io.billing.processing.operator.EventOperations;
import io.billing.processing.operator.EventQueries;
import io.billing.processing.operator.EventViews;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Feeds the sample stories through the service's own webhook once, on an empty database, in the background
 * once the endpoint answers: the acme and globex stories (tenants, subscriptions, a ledger, a dispute), two
 * events without a tenant (parked as unmapped), and one delivery the service cannot apply, which fails and
 * which the demo then retries as an operator would (so its attempts and the retry are in the admin).
 */
@ApplicationScoped
public class DemoFeeder {

    private static final Logger LOG = Logger.getLogger(DemoFeeder.class.getName());

    @Inject
    DemoMode demo;

    @Inject
    InboxStatistics inbox;

    @Inject
    EventQueries events;

    @Inject
    EventOperations operations;

    @Inject
    Clock clock;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "billing.public-url", defaultValue = "http://localhost:8080")
    String publicUrl;

    @Inject
    @ConfigProperty(name = "billing.demo.webhook-url")
    Optional<String> webhookUrl;

    /** Starts feeding in the background if demo mode is on and the inbox is empty. */
    public void startIfWanted() {
        if (!demo.enabled()) {
            return;
        }
        if (inbox.storedEventCount() > 0) {
            LOG.info("Demo mode: the database holds events already; no samples are fed.");
            return;
        }
        String base = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        URI target = URI.create(webhookUrl.filter(u -> !u.isBlank()).orElse(base + "/api/stripe/webhook"));
        Thread feeder = threads.newThread(() -> feed(target));
        feeder.setName("billing-demo-feeder");
        feeder.start();
    }

    private void feed(URI webhook) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            List<SampleStories.Sample> samples = SampleStories.load();
            awaitEndpoint(http, webhook, samples.get(0)); // stores the first sample
            int stored = 1;
            for (SampleStories.Sample sample : samples.subList(1, samples.size())) {
                if (SampleStories.deliver(http, webhook, demo.secret(), sample, clock) == 200) {
                    stored++;
                }
            }
            String poisonId = "evt_demo_failed_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            SampleStories.Sample subscription = samples.stream()
                    .filter(s -> s.name().equals("globex/02_customer.subscription.created.json")).findFirst().orElseThrow();
            SampleStories.deliver(http, webhook, demo.secret(), SampleStories.poisoned(subscription, poisonId), clock);
            LOG.info("Demo mode: fed " + stored + " of " + samples.size() + " sample events through " + webhook
                    + ", and " + poisonId + ", which cannot be applied");
            if (awaitFailure(poisonId)) {
                operations.retry(poisonId, "demo", "demo: an operator retries a failed event");
            }
        } catch (IOException | SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "Demo mode: feeding the samples stopped", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits (up to a minute) until the webhook stores the first sample: this runs while the application is
     * still starting, before its endpoint answers.
     */
    private void awaitEndpoint(HttpClient http, URI webhook, SampleStories.Sample first) throws InterruptedException {
        for (int i = 0; i < 120; i++) {
            try {
                if (SampleStories.deliver(http, webhook, demo.secret(), first, clock) == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        throw new IllegalStateException("the webhook at " + webhook + " did not answer within a minute");
    }

    private boolean awaitFailure(String eventId) throws SQLException, InterruptedException {
        for (int i = 0; i < 120; i++) {
            Optional<EventViews.Detail> detail = events.detail(eventId);
            String status = detail.map(d -> d.summary().status()).orElse("");
            if (status.equals("RETRY_SCHEDULED") || status.equals("FAILED")) { // its first attempt settled
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        return false;
    }
}
