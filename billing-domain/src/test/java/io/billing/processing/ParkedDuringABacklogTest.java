package io.billing.processing;

import io.billing.platform.queue.LoopSupervisor;
import io.billing.platform.queue.RetryPolicy;
import io.billing.platform.queue.WorkSignal;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A parked event whose mapping arrived without re-queueing it (another worker committed the mapping while this one
 * was parking the event) is found by the node's sweep even while the node is busy: under a standing backlog no claim
 * comes back empty, and an idle-only sweep would leave the event waiting until the backlog is gone.
 */
class ParkedDuringABacklogTest {

    private static final String UNMAPPED_INVOICE = "unmapped/01_invoice.paid.no_tenant_metadata.json";

    @Test
    void aBusyNodeStillSweepsOnItsLongerInterval() throws Exception {
        try (EngineHarness harness = new EngineHarness(TestDatabase.postgres())) {
            EngineSettings settings = EngineHarness.settings("node-a", 1, RetryPolicy.DEFAULT);
            ProcessingEngine defaultEngine = harness.engine("node-a");
            ProcessingEngine sweepingAtEveryStep = new ProcessingEngine(
                    harness.processor(settings, harness.productionHandlers()), new WorkSignal(), Thread::new,
                    LoopSupervisor.defaults(), Duration.ZERO);
            StripeFixtures.Fixture invoice = StripeFixtures.get(UNMAPPED_INVOICE);
            harness.deliver(invoice);
            defaultEngine.drain();
            // The race: the customer's mapping committed without re-queueing what was being parked for it.
            harness.database.execute("INSERT INTO tenant_mapping"
                    + " (customer_id, tenant_id, source, created_at, updated_at)"
                    + " VALUES ('cus_TEST3', 'tenant_initech', 'event evt_elsewhere', TIMESTAMP '2026-11-22 12:00:00',"
                    + " TIMESTAMP '2026-11-22 12:00:00')");
            String parked = "SELECT status FROM inbox_event WHERE event_id = '" + invoice.eventId() + "'";
            assertEquals(List.of("UNMAPPED"), harness.rows(parked));

            harness.deliver(StripeFixtures.get("acme/01_product.created.json"));
            assertEquals(1, defaultEngine.step(), "busy: one event claimed, and its sweep not due yet");
            assertEquals(List.of("UNMAPPED"), harness.rows(parked));

            harness.deliver(StripeFixtures.get("acme/02_price.created.json"));
            assertEquals(2, sweepingAtEveryStep.step(), "busy past its interval: one event claimed and one re-queued");
            assertEquals(List.of("RETRY_SCHEDULED | re-queued: what it waited for has arrived"), harness.rows(
                    "SELECT status || ' | ' || status_reason FROM inbox_event WHERE event_id = '" + invoice.eventId()
                            + "'"));
            assertEquals(1, defaultEngine.step());
            assertEquals(List.of("PROCESSED"), harness.rows(parked));
        }
    }
}
