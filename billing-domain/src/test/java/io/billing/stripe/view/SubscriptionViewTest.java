package io.billing.stripe.view;

import com.google.gson.JsonObject;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.StripeObjects;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** sub_TEST1 of the story as three API versions render it: one period, price and product in each. */
class SubscriptionViewTest {

    /** The first period of sub_TEST1: 2026-08-03T14:02:31Z to 2026-09-03T14:02:31Z. */
    static final Period FIRST_PERIOD = new Period(Instant.ofEpochSecond(1785765751), Instant.ofEpochSecond(1788444151));

    private static SubscriptionView of2024() {
        return SubscriptionView.of(StripeObjects.get("2024-06-20", "subscription.json"));
    }

    private static SubscriptionView ofBasil() {
        return SubscriptionView.of(StripeObjects.get("2025-03-31.basil", "subscription.json"));
    }

    private static SubscriptionView ofToday() {
        return SubscriptionView.of(StripeFixtures.get("acme/04_customer.subscription.created.json").dataObject());
    }

    @Test
    void aSubscriptionOfThe2024ShapeKeepsItsPeriod() {
        SubscriptionView subscription = of2024();
        assertNull(subscription.items().get(0).currentPeriod(), "the items have no period before basil");
        assertEquals(FIRST_PERIOD, subscription.currentPeriod(), "the subscription's own period");
    }

    @Test
    void aBasilSubscriptionHasItsPeriodOnItsItems() {
        assertEquals(FIRST_PERIOD, ofBasil().items().get(0).currentPeriod());
        assertEquals(FIRST_PERIOD, ofBasil().currentPeriod());
    }

    @Test
    void todaysSubscriptionHasItsPeriodOnItsItems() {
        assertEquals(FIRST_PERIOD, ofToday().currentPeriod());
    }

    @Test
    void everyVersionNamesTheSameCustomerPriceProductQuantityAndOrder() {
        for (SubscriptionView subscription : List.of(of2024(), ofBasil(), ofToday())) {
            assertEquals("sub_TEST1", subscription.id());
            assertEquals("active", subscription.status());
            assertEquals("cus_TEST1", subscription.customer());
            assertEquals("ord_1001", subscription.metadata("order_id"));
            SubscriptionItemView item = subscription.items().get(0);
            assertEquals(List.of("si_TEST1_PRO", "price_PRO_MONTHLY", "prod_PRO", 1L),
                    List.of(item.id(), item.price(), item.product(), item.quantity()));
            assertNull(subscription.trialEnd());
            assertEquals(false, subscription.cancelAtPeriodEnd());
        }
    }

    @Test
    void theItemsPeriodsWinOverTheTopLevelAndSpanEachOther() {
        JsonObject subscription = StripeObjects.get("2024-06-20", "subscription.json");
        JsonObject item = subscription.getAsJsonObject("items").getAsJsonArray("data").get(0).getAsJsonObject();
        JsonObject second = item.deepCopy();
        item.addProperty("current_period_start", 1785765751L);
        item.addProperty("current_period_end", 1788444151L);
        second.addProperty("current_period_start", 1786000000L);
        second.addProperty("current_period_end", 1789000000L);
        subscription.getAsJsonObject("items").getAsJsonArray("data").add(second);
        subscription.addProperty("current_period_end", 1700000000L);
        assertEquals(new Period(Instant.ofEpochSecond(1785765751), Instant.ofEpochSecond(1789000000)),
                SubscriptionView.of(subscription).currentPeriod());
    }

    @Test
    void anItemOfTheTimeBeforePricesNamesItsPlan() {
        JsonObject item = StripeObjects.get("2024-06-20", "subscription.json").getAsJsonObject("items")
                .getAsJsonArray("data").get(0).getAsJsonObject();
        item.remove("price");
        SubscriptionItemView plan = SubscriptionItemView.of(item);
        assertEquals(List.of("price_PRO_MONTHLY", "prod_PRO"), List.of(plan.price(), plan.product()));
    }

    @Test
    void noPeriodAnywhereIsNoPeriod() {
        JsonObject subscription = StripeObjects.get("2024-06-20", "subscription.json");
        subscription.remove("current_period_end");
        assertNull(SubscriptionView.of(subscription).currentPeriod());
    }

    @Test
    void aSubscriptionViewRefusesAnotherObject() {
        JsonObject invoice = StripeObjects.get("2024-06-20", "invoice.json");
        assertEquals("not a Stripe subscription: its object is invoice",
                assertThrows(IllegalArgumentException.class, () -> SubscriptionView.of(invoice)).getMessage());
    }
}
