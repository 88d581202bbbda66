package io.billing.processing;

import io.billing.inbox.InboxStatus;
import io.billing.processing.operator.EventFilter;
import io.billing.processing.operator.EventQueries;
import io.billing.processing.operator.EventViews;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keyset pages walk every event once, older and back newer, ties on {@code created} included; so do the pages of the
 * other orders (type, status), each way round, forward and back.
 */
class EventSliceTest {

    private EngineHarness harness;

    @BeforeEach
    void start() {
        harness = new EngineHarness(TestDatabase.postgres());
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void pagesOlderAndNewerCoverEveryEventOnceInKeysetOrder() throws Exception {
        for (StripeFixtures.Fixture fixture : StripeFixtures.all()) {
            harness.deliver(fixture);
            harness.deliver(fixture.withFreshEventId("evt_tie_")); // the same created: a tie broken by event id
        }
        List<String> expected = harness.rows("SELECT event_id FROM inbox_event ORDER BY stripe_created DESC, event_id DESC");
        EventQueries queries = new EventQueries(harness.database.dataSource());
        EventFilter all = new EventFilter(null, null, null, null, null, null, 0, 1);

        List<String> walked = new ArrayList<>();
        List<EventViews.Slice> pages = new ArrayList<>();
        EventViews.Slice page = queries.slice(all, null, null, true, 10);
        assertNull(page.newer(), "the first page is the newest");
        while (true) {
            pages.add(page);
            page.events().forEach(e -> walked.add(e.eventId()));
            if (page.older() == null) {
                break;
            }
            page = queries.slice(all, null, EventViews.Cursor.parse(page.older().token()), true, 10);
        }
        assertEquals(expected, walked);

        // Back from the oldest page towards the newest: the same pages.
        EventViews.Slice back = pages.get(pages.size() - 1);
        for (int i = pages.size() - 2; i >= 0; i--) {
            back = queries.slice(all, null, back.newer(), false, 10);
            assertEquals(pages.get(i).events(), back.events(), "page " + i);
        }
        assertNull(back.newer());

        // Oldest first: the oldest page without a cursor, then newer ones, every event once.
        List<String> upwards = new ArrayList<>();
        EventViews.Slice up = queries.slice(all, null, null, false, 10);
        assertNull(up.older(), "nothing is older than the oldest page");
        while (true) {
            List<String> ids = new ArrayList<>(up.events().stream().map(EventViews.Summary::eventId).toList());
            java.util.Collections.reverse(ids);
            upwards.addAll(ids);
            if (up.newer() == null) {
                break;
            }
            up = queries.slice(all, null, up.newer(), false, 10);
        }
        List<String> ascending = new ArrayList<>(expected);
        java.util.Collections.reverse(ascending);
        assertEquals(ascending, upwards);

        List<EventViews.HourCount> hours = queries.receivedPerHour(EngineHarness.START.minusSeconds(3600));
        assertEquals(1, hours.size(), "all received in the harness clock's hour");
        assertEquals(expected.size(), hours.get(0).count("RECEIVED"));
        assertEquals(expected.size(), queries.overview().count("RECEIVED"));
        assertEquals(List.of(), queries.receivedPerHour(EngineHarness.START.plusSeconds(7200)));

        EventViews.Slice byCustomer = queries.slice(new EventFilter(InboxStatus.RECEIVED, null, null, null, null, null, 0, 1),
                "cus_TEST2", null, true, 100);
        assertEquals(harness.count("SELECT COUNT(*) FROM inbox_event WHERE customer_id = 'cus_TEST2' OR object_id = 'cus_TEST2'"),
                byCustomer.events().size());
    }

    @Test
    void everyOrderWalksEveryEventOnceForwardAndBackInItsKeyset() throws Exception {
        for (StripeFixtures.Fixture fixture : StripeFixtures.all()) {
            harness.deliver(fixture);
            harness.deliver(fixture.withFreshEventId("evt_tie_"));
        }
        // Statuses and types shared by many events, so that the created time and the event id break the ties.
        harness.database.execute("UPDATE inbox_event SET status = 'FAILED' WHERE event_id LIKE 'evt_tie_%'",
                "UPDATE inbox_event SET status = 'UNMAPPED' WHERE event_type LIKE 'invoice.%'");
        EventQueries queries = new EventQueries(harness.database.dataSource());
        EventFilter all = new EventFilter(null, null, null, null, null, null, 0, 1);
        for (EventViews.Order order : EventViews.Order.values()) {
            String column = switch (order) {
                case CREATED -> "";
                case TYPE -> "event_type";
                case STATUS -> "status";
            };
            for (boolean descending : List.of(true, false)) {
                String direction = descending ? " DESC" : "";
                List<String> expected = harness.rows("SELECT event_id FROM inbox_event ORDER BY "
                        + (column.isEmpty() ? "" : column + direction + ", ") + "stripe_created" + direction
                        + ", event_id" + direction);
                String name = order + (descending ? " descending" : " ascending");

                List<EventViews.SortedSlice> pages = new ArrayList<>();
                List<String> walked = new ArrayList<>();
                EventViews.SortedSlice page = queries.slice(all, null, order, descending, null, true, 7);
                assertNull(page.previous(), name + ": nothing before the first page");
                while (true) {
                    pages.add(page);
                    page.events().forEach(e -> walked.add(e.eventId()));
                    if (page.next() == null) {
                        break;
                    }
                    EventViews.Cursor next = EventViews.Cursor.parse(page.next().token(), order);
                    assertEquals(page.next(), next, name + ": the cursor survives the URL");
                    page = queries.slice(all, null, order, descending, next, true, 7);
                }
                assertEquals(expected, walked, name);

                EventViews.SortedSlice back = pages.get(pages.size() - 1);
                for (int i = pages.size() - 2; i >= 0; i--) {
                    back = queries.slice(all, null, order, descending, back.previous(), false, 7);
                    assertEquals(pages.get(i).events(), back.events(), name + ", back to page " + i);
                }
                assertNull(back.previous(), name);

                EventViews.SortedSlice last = queries.slice(all, null, order, descending, null, false, 7);
                assertEquals(expected.subList(expected.size() - 7, expected.size()),
                        last.events().stream().map(EventViews.Summary::eventId).toList(),
                        name + ": the last page without a cursor");
                assertNull(last.next(), name);
            }
        }
        EventViews.SortedSlice failedByType = queries.slice(new EventFilter(InboxStatus.FAILED, null, null, null, null,
                null, 0, 1), null, EventViews.Order.TYPE, false, null, true, 500);
        assertEquals(harness.rows("SELECT event_id FROM inbox_event WHERE status = 'FAILED'"
                        + " ORDER BY event_type, stripe_created, event_id"),
                failedByType.events().stream().map(EventViews.Summary::eventId).toList(), "a filter in another order");
    }

    @Test
    void eachOrdersPageIsPlannedOnItsIndex() throws Exception {
        Map<String, String> pages = Map.of(
                "ix_inbox_event_created_id", "(stripe_created, event_id) < ('2026-11-22 12:00:00+00', 'evt_1')"
                        + " ORDER BY stripe_created DESC, event_id DESC",
                "ix_inbox_event_type", "(event_type, stripe_created, event_id) > ('invoice.paid',"
                        + " '2026-11-22 12:00:00+00', 'evt_1') ORDER BY event_type, stripe_created, event_id",
                "ix_inbox_event_status_created", "(status, stripe_created, event_id) < ('FAILED',"
                        + " '2026-11-22 12:00:00+00', 'evt_1') ORDER BY status DESC, stripe_created DESC, event_id DESC");
        for (Map.Entry<String, String> page : pages.entrySet()) {
            StringBuilder plan = new StringBuilder();
            try (Connection connection = harness.database.dataSource().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("SET enable_seqscan = off");
                try (ResultSet rows = statement.executeQuery("EXPLAIN SELECT * FROM inbox_event WHERE "
                        + page.getValue() + " LIMIT 51")) {
                    while (rows.next()) {
                        plan.append(rows.getString(1)).append('\n');
                    }
                }
            }
            assertTrue(plan.toString().contains(page.getKey())
                    && !plan.toString().contains("Seq Scan"), page.getKey() + ":\n" + plan);
        }
    }
}
