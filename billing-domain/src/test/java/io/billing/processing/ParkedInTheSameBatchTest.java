package io.billing.processing;

import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An event parked for a customer's mapping goes back to the queue when an event of the same claimed batch teaches
 * that mapping, on PostgreSQL and H2. Stripe sends a payment's events and the event that names its tenant within a
 * second of each other, and in that order: the payment's event parks first, while the event that maps its customer
 * runs later in the same transaction. The re-queue must see the parked event although it was settled only at the
 * batch's end; an idle node's sweep would take it too, but a busy node is never idle.
 */
class ParkedInTheSameBatchTest {

    /** An invoice of customer {@code cus_TEST3} that names no tenant. */
    private static final String UNMAPPED_INVOICE = "unmapped/01_invoice.paid.no_tenant_metadata.json";
    private static final String CUSTOMER_CREATED = "acme/03_customer.created.json";

    /** The sample customer, made {@code cus_TEST3} of {@code tenant_initech}, created one second after the invoice. */
    private static byte[] customerMappedAfter(long invoiceCreated) {
        return new String(StripeFixtures.get(CUSTOMER_CREATED).body(), StandardCharsets.UTF_8)
                .replace("evt_1ACME0003z7OBnCjwYx", "evt_1CUS3MAPPEDxyz")
                .replace("cus_TEST1", "cus_TEST3")
                .replace("tenant_acme", "tenant_initech")
                .replaceFirst("\"created\": \\d+", "\"created\": " + (invoiceCreated + 1))
                .getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = {true, false})
    void anEventParkedEarlierInTheBatchIsRequeuedByTheMappingALaterOneLearns(boolean postgres) throws Exception {
        try (EngineHarness harness = new EngineHarness(postgres ? TestDatabase.postgres() : TestDatabase.h2())) {
            ProcessingEngine engine = harness.engine("node-a");
            StripeFixtures.Fixture invoice = StripeFixtures.get(UNMAPPED_INVOICE);
            harness.deliver(invoice);
            long invoiceCreated = harness.count("SELECT CAST(EXTRACT(EPOCH FROM stripe_created) AS BIGINT)"
                    + " FROM inbox_event");
            harness.deliver(customerMappedAfter(invoiceCreated));

            assertEquals(2, engine.runOnce(), "one claim takes both");
            assertEquals(List.of("evt_1CUS3MAPPEDxyz | PROCESSED | tenant_initech",
                            invoice.eventId() + " | RETRY_SCHEDULED | re-queued: customer cus_TEST3 mapped to"
                                    + " tenant_initech by event evt_1CUS3MAPPEDxyz"),
                    harness.rows("SELECT event_id || ' | ' || status || ' | ' || CASE WHEN status = 'PROCESSED'"
                            + " THEN tenant_id ELSE status_reason END FROM inbox_event ORDER BY event_id"));

            assertEquals(1, engine.runOnce());
            assertEquals(List.of("PROCESSED | tenant_initech"), harness.rows("SELECT status || ' | ' || tenant_id"
                    + " FROM inbox_event WHERE event_id = '" + invoice.eventId() + "'"));
        }
    }
}
