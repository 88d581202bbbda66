package io.billing.stripe.view;

import io.billing.testsupport.StripeFixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Products, prices and entitlement summaries of the story. */
class CatalogueViewsTest {

    @Test
    void aProductAndItsMonthlyPrice() {
        ProductView product = ProductView.of(StripeFixtures.get("acme/01_product.created.json").dataObject());
        assertEquals(List.of("prod_PRO", "Pro", "pro"), List.of(product.id(), product.name(), product.metadata("plan_code")));
        assertTrue(product.active());
        PriceView price = PriceView.of(StripeFixtures.get("acme/02_price.created.json").dataObject());
        assertEquals(List.of("prod_PRO", "usd", 2900L, "month", 1), List.of(price.product(), price.currency(),
                price.unitAmount(), price.interval(), price.intervalCount()));
        assertTrue(price.active());
    }

    @Test
    void anEntitlementSummaryNamesItsCustomerAndFeatureKeys() {
        EntitlementSummaryView summary = EntitlementSummaryView.of(
                StripeFixtures.get("acme/29_entitlements.active_entitlement_summary.updated.json").dataObject());
        assertEquals("cus_TEST1", summary.customer());
        assertEquals(Set.of("advanced_reports", "api_access", "priority_support", "sso"), summary.featureLookupKeys());
    }
}
