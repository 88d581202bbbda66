package io.billing.it;

import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.StripeFixtures.Fixture;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stripe delivers the same event more than once, sometimes at the same moment: one row, every delivery counted. */
@ExtendWith(ArquillianExtension.class)
class DuplicateDeliveryIT {

    private final WebhookClient webhook = new WebhookClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.billingWar();
    }

    private static Fixture freshEvent() {
        return StripeFixtures.get("acme/27_invoice.paid.subscription_cycle.json")
                .withFreshEventId("evt_dup_");
    }

    @Test
    void sequentialDuplicatesAnswer2xxAndOnlyBumpTheDeliveryCount() {
        Fixture event = freshEvent();
        WebhookClient.Answer first = webhook.postSigned(event.body());
        assertEquals(200, first.status());
        assertFalse(first.json().getBoolean("duplicate"));
        InboxRows.Row stored = InboxRows.get(event.eventId());

        for (int i = 0; i < 3; i++) {
            WebhookClient.Answer again = webhook.postSigned(event.body());
            assertEquals(200, again.status());
            assertTrue(again.json().getBoolean("duplicate"));
        }
        InboxRows.Row after = InboxRows.get(event.eventId());
        assertEquals(4, after.deliveryCount());
        assertArrayEquals(stored.payload(), after.payload());
        assertEquals(stored.type(), after.type());
    }

    @Test
    void thirtyTwoConcurrentDeliveriesLeaveExactlyOneRow() throws Exception {
        Fixture event = freshEvent();
        int deliveries = 32;
        long rowsBefore = InboxRows.count();
        ExecutorService pool = Executors.newFixedThreadPool(deliveries);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<WebhookClient.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < deliveries; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return webhook.postSigned(event.body());
                }));
            }
            start.countDown();
            int fresh = 0;
            for (Future<WebhookClient.Answer> answer : answers) {
                WebhookClient.Answer a = answer.get();
                assertEquals(200, a.status(), a.body());
                if (!a.json().getBoolean("duplicate")) {
                    fresh++;
                }
            }
            assertEquals(1, fresh, "exactly one delivery created the row");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(rowsBefore + 1, InboxRows.count(), "one row more, not 32");
        InboxRows.Row row = InboxRows.get(event.eventId());
        assertEquals(deliveries, row.deliveryCount());
        assertArrayEquals(event.body(), row.payload());
    }
}
