package io.billing.it;

import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.StripeFixtures.Fixture;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The database becomes unreachable mid-run (the test cuts the TCP proxy between the service and
 * PostgreSQL): deliveries get 503 with Retry-After, so Stripe retries, and nothing is half-written; once
 * the database is back, the retried delivery is stored.
 */
@ExtendWith(ArquillianExtension.class)
class DatabaseOutageIT {

    private final WebhookClient webhook = new WebhookClient();
    private final TestEnvironment environment = TestEnvironment.get();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.billingWar();
    }

    @AfterEach
    void databaseIsBack() throws IOException {
        if (environment.proxy() != null) {
            environment.proxy().restore();
        }
    }

    @Test
    void unreachableDatabaseAnswers503ThenTheRetrySucceeds() throws Exception {
        assumeTrue(environment.isPostgres(),
                "the embedded H2 runs inside the service: there is no connection to cut");
        Fixture event = StripeFixtures.get("acme/23_invoice.payment_failed.json")
                .withFreshEventId("evt_outage_");
        assertEquals(200, webhook.postSigned(StripeFixtures.get("acme/22_payment_intent.payment_failed.json").body()).status(),
                "the service works before the cut");

        environment.proxy().cut();
        Instant cutAt = Instant.now();
        WebhookClient.Answer during = webhook.postSigned(event.body());
        assertEquals(503, during.status(), during.body());
        assertEquals("database_unavailable", during.error());
        assertNotNull(during.retryAfter(), "Retry-After tells Stripe to come back");
        assertTrue(Duration.between(cutAt, Instant.now()).toSeconds() < 15, "the 503 comes promptly");
        assertTrue(InboxRows.find(event.eventId()).isEmpty(), "nothing half-written");

        environment.proxy().restore();
        // Like Stripe: deliver again until accepted; the pool must recover by itself.
        WebhookClient.Answer after = null;
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            after = webhook.postSigned(event.body());
            if (after.status() == 200) {
                break;
            }
            Thread.sleep(500);
        }
        assertNotNull(after);
        assertEquals(200, after.status(), after.body());
        InboxRows.Row row = InboxRows.get(event.eventId());
        assertArrayEquals(event.body(), row.payload());
        assertEquals(1, row.deliveryCount(), "the refused delivery was not stored");
    }
}
