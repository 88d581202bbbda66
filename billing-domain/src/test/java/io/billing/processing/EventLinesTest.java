package io.billing.processing;

import com.google.gson.JsonParser;
import io.billing.processing.operator.EventFilter;
import io.billing.processing.operator.EventQueries;
import io.billing.processing.operator.EventViews;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.TestDatabase;
import io.billing.trace.EventSummaries;
import io.billing.trace.PaymentTrace;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The line each event is shown by, kept by the engine when it settles the event: the same line the body gives, none
 * for refunds and disputes (their payment's name is looked up when shown), and still shown once the body is gone.
 */
class EventLinesTest {

    private static final String INVOICE_PAID = "Invoice ACMETEST-0001 for $29.00 paid by Acme Corp";

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = {true, false})
    void theEngineKeepsEachEventsLineAndTheScreensShowItWithoutTheBody(boolean postgres) throws Exception {
        try (EngineHarness harness = new EngineHarness(postgres ? TestDatabase.postgres() : TestDatabase.h2())) {
            for (StripeFixtures.Fixture event : StripeFixtures.all()) {
                if (event.name().startsWith("acme/")) {
                    harness.deliver(event);
                }
            }
            harness.engine("node-a").drain();

            Map<String, String> kept = new HashMap<>();
            int compared = 0;
            try (Connection connection = harness.database.dataSource().getConnection();
                 PreparedStatement query = connection.prepareStatement(
                         "SELECT event_id, event_line, payload FROM inbox_event");
                 ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    String line = row.getString("event_line");
                    kept.put(row.getString("event_id"), line);
                    if (line != null) {
                        assertEquals(EventSummaries.of(JsonParser.parseString(new String(row.getBytes("payload"),
                                StandardCharsets.UTF_8)).getAsJsonObject(), id -> null), line, row.getString(1));
                        compared++;
                    }
                }
            }
            assertTrue(compared > 25, "most of the story's events keep their line: " + kept);
            assertEquals(INVOICE_PAID, kept.get(eventId("acme/06_invoice.payment_succeeded.json")));
            assertNull(kept.get(eventId("acme/18_refund.created.json")), "a refund's line is made when shown");
            assertNull(kept.get(eventId("acme/30_charge.dispute.created.json")));

            // As data retention leaves them: the bodies gone, the envelopes and the kept lines there.
            harness.database.execute("UPDATE inbox_event SET payload = NULL, payload_removed_at = CURRENT_TIMESTAMP");
            PaymentTrace.Trace trace = new PaymentTrace(harness.database.dataAccess()).trace("in_TEST1_SUB0001");
            assertEquals(List.of("Invoice ACMETEST-0001 for $29.00 paid by Acme Corp", INVOICE_PAID),
                    trace.events().stream().map(PaymentTrace.Event::summary).toList());
            List<EventViews.Summary> listed = new EventQueries(harness.database.dataSource()).list(
                    new EventFilter(null, null, null, "in_TEST1_SUB0001", null, null, 0, 50)).events();
            assertEquals(List.of(INVOICE_PAID, INVOICE_PAID),
                    listed.stream().map(EventViews.Summary::summary).toList());
            String refund = eventId("acme/18_refund.created.json");
            assertEquals("Refund re_TEST1_0001 created", new EventQueries(harness.database.dataSource())
                    .detail(refund).orElseThrow().summary().summary(), "without a kept line, the envelope's line");
        }
    }

    private static String eventId(String fixture) {
        return StripeFixtures.get(fixture).eventId();
    }
}
