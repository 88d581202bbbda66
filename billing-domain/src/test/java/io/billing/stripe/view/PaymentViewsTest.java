package io.billing.stripe.view;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.StripeObjects;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Charges, payment intents, Checkout Sessions, refunds and disputes of the story. */
class PaymentViewsTest {

    private static JsonObject fixture(String name) {
        return StripeFixtures.get(name).dataObject();
    }

    @Test
    void aChargeOfThe2024ShapeNamesItsInvoice() {
        ChargeView charge = ChargeView.of(StripeObjects.get("2024-06-20", "charge.json"));
        assertEquals("in_TEST1_SUB0001", charge.invoice());
        assertEquals("pi_TEST1_SUB0001", charge.paymentIntent());
        assertEquals(new Amount(2900, "usd"), charge.amount());
    }

    @Test
    void sinceBasilAChargeNamesNoInvoice() {
        for (ChargeView charge : List.of(ChargeView.of(StripeObjects.get("2025-03-31.basil", "charge.json")),
                ChargeView.of(fixture("acme/09_charge.succeeded.json")))) {
            assertNull(charge.invoice());
            assertTrue(charge.paymentIntent().startsWith("pi_TEST1_"));
            assertEquals("succeeded", charge.status());
            assertFalse(charge.fullyRefunded());
        }
    }

    @Test
    void aPartlyRefundedChargeIsNotFullyRefunded() {
        ChargeView refunded = ChargeView.of(fixture("acme/19_charge.refunded.partial.json"));
        assertFalse(refunded.fullyRefunded());
        JsonObject whole = fixture("acme/19_charge.refunded.partial.json");
        whole.addProperty("refunded", true);
        assertTrue(ChargeView.of(whole).fullyRefunded());
    }

    @Test
    void aPaymentIntentNamesItsLatestChargeInEitherShape() {
        JsonObject intent = fixture("acme/10_payment_intent.succeeded.json");
        assertEquals("ch_TEST1_ORD1002", PaymentIntentView.of(intent).latestCharge());
        assertEquals(new Amount(4900, "usd"), PaymentIntentView.of(intent).amountReceived());
        assertNull(PaymentIntentView.of(intent).invoice(), "removed in basil");
        // Before 2022-11-15: no latest_charge, the charges list instead, newest first.
        intent.remove("latest_charge");
        JsonObject charges = new JsonObject();
        charges.addProperty("object", "list");
        JsonArray data = new JsonArray();
        data.add(fixture("acme/09_charge.succeeded.json"));
        JsonObject older = fixture("acme/09_charge.succeeded.json");
        older.addProperty("id", "ch_TEST1_ORD1002_DECLINED");
        data.add(older);
        charges.add("data", data);
        intent.add("charges", charges);
        intent.addProperty("invoice", "in_TEST1_EXAMPLE");
        assertEquals("ch_TEST1_ORD1002", PaymentIntentView.of(intent).latestCharge());
        assertEquals("in_TEST1_EXAMPLE", PaymentIntentView.of(intent).invoice());
        intent.remove("charges");
        assertNull(PaymentIntentView.of(intent).latestCharge(), "not charged yet");
    }

    @Test
    void checkoutSessionsOfBothModes() {
        CheckoutSessionView subscription = CheckoutSessionView.of(
                fixture("acme/07_checkout.session.completed.subscription.json"));
        assertEquals(List.of("subscription", "in_TEST1_SUB0001", "sub_TEST1", "tenant_acme"), List.of(
                subscription.mode(), subscription.invoice(), subscription.subscription(),
                subscription.clientReferenceId()));
        assertNull(subscription.paymentIntent());
        CheckoutSessionView order = CheckoutSessionView.of(fixture("acme/11_checkout.session.completed.payment.json"));
        assertTrue(order.paid());
        assertEquals("pi_TEST1_ORD1002", order.paymentIntent());
        assertEquals(new Amount(4900, "usd"), order.amountTotal());
        assertFalse(CheckoutSessionView.of(fixture("acme/13_checkout.session.completed.payment_unpaid_async.json"))
                .paid());
    }

    @Test
    void refundsAndDisputesNameTheirPayment() {
        RefundView refund = RefundView.of(fixture("acme/18_refund.created.json"));
        assertTrue(refund.succeeded());
        assertEquals(new Amount(1500, "usd"), refund.amount());
        assertEquals(List.of("ch_TEST1_ORD1002", "pi_TEST1_ORD1002", "ch_TEST1_ORD1002"),
                List.of(refund.charge(), refund.paymentIntent(), refund.payment()));
        DisputeView dispute = DisputeView.of(fixture("acme/30_charge.dispute.created.json"));
        assertEquals("ch_TEST1_SUB0001", dispute.payment());
        assertEquals(1500, dispute.withdrawalFees(), "the fee of the withdrawal");
        assertEquals(new Amount(2900, "usd"), dispute.amount());
        assertTrue(PaymentReversalView.ofAnyType(fixture("acme/30_charge.dispute.created.json")) instanceof DisputeView);
        assertNull(PaymentReversalView.ofAnyType(fixture("acme/09_charge.succeeded.json")));
    }

    @Test
    void aTypedViewRefusesAnObjectOfAnotherType() {
        JsonObject charge = StripeObjects.get("2024-06-20", "charge.json");
        assertThrows(IllegalArgumentException.class, () -> InvoiceView.of(charge));
        assertThrows(IllegalArgumentException.class, () -> RefundView.of(charge));
        assertThrows(IllegalArgumentException.class, () -> ChargeView.of(new JsonObject()));
        assertEquals("charge", StripeObjectView.of(charge).type());
        assertNull(StripeObjectView.of(new JsonObject()).type(), "the generic view takes any object");
    }

    @Test
    void amountsAndPeriodsRefuseWhatIsNone() {
        assertThrows(IllegalArgumentException.class, () -> new Amount(100, "dollars"));
        assertThrows(NullPointerException.class, () -> new Amount(100, null));
        assertThrows(IllegalArgumentException.class, () -> new Period(SubscriptionViewTest.FIRST_PERIOD.end(),
                SubscriptionViewTest.FIRST_PERIOD.start()));
    }
}
