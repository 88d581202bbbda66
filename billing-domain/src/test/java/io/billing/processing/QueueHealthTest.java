package io.billing.processing;

import io.billing.platform.health.QueueHealth;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The readiness check's view of the queue: an event due for longer than the bound means nobody works. */
class QueueHealthTest {

    @Test
    void anEventWaitingLongerThanTheBoundMakesTheQueueStuckUntilAWorkerTakesIt() throws Exception {
        try (EngineHarness harness = new EngineHarness(TestDatabase.postgres())) {
            QueueHealth health = new QueueHealth(harness.database.dataSource(), harness.clock, Duration.ofMinutes(5));
            assertFalse(health.check().stuck(), "an empty queue");

            StripeFixtures.Fixture event = StripeFixtures.get("acme/03_customer.created.json");
            harness.deliver(event);
            harness.clock.advance(Duration.ofMinutes(4));
            QueueHealth.Status waiting = health.check();
            assertFalse(waiting.stuck());
            assertEquals(event.eventId(), waiting.eventId());
            assertEquals(Duration.ofMinutes(4), waiting.waitingFor());

            harness.clock.advance(Duration.ofMinutes(2));
            assertTrue(health.check().stuck(), "six minutes without a worker");

            harness.engine("node-a").drain();
            assertFalse(health.check().stuck());
            assertEquals(null, health.check().eventId(), "nothing is due any more");
        }
    }
}
