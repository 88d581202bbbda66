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

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Keyset pages walk every event once, older and back newer, ties on {@code created} included. */
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
}
