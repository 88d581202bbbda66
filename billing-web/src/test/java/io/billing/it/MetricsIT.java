package io.billing.it;

import io.billing.testsupport.StripeFixtures;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service's own metrics in Prometheus text: deliveries, attempts and their duration, queue and outbox gauges. */
@ExtendWith(ArquillianExtension.class)
class MetricsIT {

    private final WebhookClient client = new WebhookClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.billingWar();
    }

    @Test
    void deliveriesAttemptsAndTheQueueAreMeasured() throws Exception {
        String eventId = "evt_metrics_" + UUID.randomUUID().toString().replace("-", "");
        assertEquals(200, client.postSigned(StripeFixtures.get("acme/01_product.created.json").withEventId(eventId)
                .body()).status());
        client.awaitStatus(eventId, "PROCESSED");

        WebhookClient.Answer metrics = client.get("metrics?scope=application");
        assertEquals(200, metrics.status());
        String text = metrics.body();
        assertTrue(has(text, "webhook_received_total", "type=\"product.created\"", "outcome=\"stored\""), text);
        assertTrue(has(text, "processing_attempts_total", "type=\"product.created\"", "outcome=\"PROCESSED\""), text);
        assertTrue(has(text, "processing_duration_seconds"), text);
        assertTrue(has(text, "queue_depth", "status=\"PROCESSED\""), text);
        assertTrue(has(text, "queue_oldest_due_age_seconds"), text);
        assertTrue(has(text, "outbox_backlog"), text);
    }

    /** A sample line (not a comment) of the metric with all the given label fragments, with a value above zero or a gauge. */
    private static boolean has(String text, String metric, String... labels) {
        return text.lines().filter(line -> line.startsWith(metric)).anyMatch(line -> {
            for (String label : labels) {
                if (!line.contains(label)) {
                    return false;
                }
            }
            return true;
        });
    }
}
