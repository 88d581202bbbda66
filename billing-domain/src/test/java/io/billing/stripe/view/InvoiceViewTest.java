package io.billing.stripe.view;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.StripeObjects;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** in_TEST1_SUB0001, the subscription's first invoice, as four API versions render it. */
class InvoiceViewTest {

    private static InvoiceView of2020() {
        return InvoiceView.of(StripeFixtures.get("legacy/invoice.payment_succeeded.2020-08-27.json").dataObject());
    }

    private static InvoiceView of2024() {
        return InvoiceView.of(StripeObjects.get("2024-06-20", "invoice.json"));
    }

    private static InvoiceView ofBasil() {
        return InvoiceView.of(StripeObjects.get("2025-03-31.basil", "invoice.json"));
    }

    private static InvoiceView ofToday() {
        return InvoiceView.of(StripeFixtures.get("acme/05_invoice.paid.subscription_create.json").dataObject());
    }

    @Test
    void everyVersionNamesTheSubscriptionItsMetadataAndThePaidFirstPeriod() {
        for (InvoiceView invoice : List.of(of2020(), of2024(), ofBasil(), ofToday())) {
            assertEquals("in_TEST1_SUB0001", invoice.id());
            assertTrue(invoice.paid());
            assertEquals("subscription_create", invoice.billingReason());
            assertEquals("sub_TEST1", invoice.subscription());
            assertEquals("tenant_acme", invoice.subscriptionMetadata("tenant_id"));
            assertNull(invoice.metadata("order_id"), "a subscription invoice's own metadata is empty");
            assertEquals("ord_1001", invoice.metadataOrSubscriptions("order_id"));
            assertEquals(List.of(new Amount(2900, "usd"), new Amount(2900, "usd"), new Amount(0, "usd")),
                    List.of(invoice.total(), invoice.amountPaid(), invoice.amountRemaining()));
            InvoiceLineView line = invoice.lines().get(0);
            assertTrue(line.fromSubscription());
            assertEquals(List.of("sub_TEST1", "prod_PRO"), List.of(line.subscription(), line.product()));
            assertEquals(SubscriptionViewTest.FIRST_PERIOD, line.period());
        }
    }

    @Test
    void anInvoiceOfThe2024ShapeNamesItsPaymentAndItsSubscriptionAtTheTopLevel() {
        InvoiceView invoice = of2024();
        assertEquals("pi_TEST1_SUB0001", invoice.paymentIntent());
        assertEquals("ch_TEST1_SUB0001", invoice.charge());
        JsonObject json = StripeObjects.get("2024-06-20", "invoice.json");
        json.remove("status");
        assertTrue(InvoiceView.of(json).paid(), "the paid flag of the versions before basil");
    }

    @Test
    void sinceBasilAnInvoiceNamesItsPaymentOnlyInItsExpandedPayments() {
        assertNull(ofBasil().paymentIntent());
        assertNull(ofToday().charge());
        JsonObject json = StripeObjects.get("2025-03-31.basil", "invoice.json");
        json.add("payments", JsonParser.parseString("""
                {"object": "list", "data": [
                  {"id": "inpay_TEST1_0", "object": "invoice_payment", "status": "canceled",
                   "payment": {"type": "payment_intent", "payment_intent": "pi_TEST1_SUB0001_OLD"}},
                  {"id": "inpay_TEST1_1", "object": "invoice_payment", "status": "paid",
                   "payment": {"type": "payment_intent", "payment_intent": {"id": "pi_TEST1_SUB0001",
                               "object": "payment_intent"}}}],
                 "has_more": false}""").getAsJsonObject());
        assertEquals("pi_TEST1_SUB0001", InvoiceView.of(json).paymentIntent(), "the paid one, expanded or not");
    }

    @Test
    void theOldestShapeKeepsTheSubscriptionsMetadataOnlyOnItsLines() {
        JsonObject json = StripeFixtures.get("legacy/invoice.payment_succeeded.2020-08-27.json").dataObject();
        assertNull(json.get("subscription_details"));
        assertEquals("tenant_acme", InvoiceView.of(json).subscriptionMetadata("tenant_id"));
    }

    @Test
    void aManualInvoiceHasItsOwnMetadataAndNoSubscription() {
        InvoiceView voided = InvoiceView.of(StripeFixtures.get("acme/08_invoice.voided.json").dataObject());
        assertNull(voided.subscription());
        assertNull(voided.subscriptionMetadata("tenant_id"));
        assertEquals("tenant_acme", voided.metadataOrSubscriptions("tenant_id"));
        assertFalse(voided.paid());
        assertEquals("void", voided.status());
    }

    @Test
    void aLineOfAnInvoiceItemIsNotASubscriptionLine() {
        JsonObject line = StripeObjects.get("2024-06-20", "invoice.json").getAsJsonObject("lines")
                .getAsJsonArray("data").get(0).getAsJsonObject();
        line.addProperty("type", "invoiceitem");
        line.add("subscription", null);
        assertFalse(InvoiceLineView.of(line).fromSubscription());
        assertNull(InvoiceLineView.of(line).subscription());
    }

    @Test
    void noLinesAreNoLines() {
        JsonObject json = StripeObjects.get("2025-03-31.basil", "invoice.json");
        json.getAsJsonObject("lines").add("data", new JsonArray());
        assertEquals(List.of(), InvoiceView.of(json).lines());
        assertEquals("ord_1001", InvoiceView.of(json).subscriptionMetadata("order_id"), "from parent");
    }
}
