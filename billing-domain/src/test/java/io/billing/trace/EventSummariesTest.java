package io.billing.trace;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.billing.testsupport.StripeFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The line each of the stories' events is summed up in, and the lines of what the stories do not tell. */
class EventSummariesTest {

    /** What people call the payment of the acme story's refunded charge (its reconciliation record's order). */
    private static final Map<String, String> NAMES = Map.of("ch_TEST1_ORD1002", "order ord_1002",
            "pi_TEST1_ORD1002", "order ord_1002");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "acme/01_product.created.json | Product Pro created",
            "acme/02_price.created.json | Price of $29.00 a month for prod_PRO created",
            "acme/03_customer.created.json | Customer Acme Corp created",
            "acme/04_customer.subscription.created.json | Subscription sub_TEST1 created: prod_PRO at $29.00 a month, active",
            "acme/05_invoice.paid.subscription_create.json | Invoice ACMETEST-0001 for $29.00 paid by Acme Corp",
            "acme/06_invoice.payment_succeeded.json | Invoice ACMETEST-0001 for $29.00 paid by Acme Corp",
            "acme/07_checkout.session.completed.subscription.json | Checkout of a subscription for order ord_1001 completed: $29.00 paid by Ada Acme",
            "acme/08_invoice.voided.json | Invoice ACMETEST-0002 for $250.00 to Acme Corp voided",
            "acme/09_charge.succeeded.json | Charge of $49.00 for order ord_1002 succeeded, paid by Ada Acme",
            "acme/10_payment_intent.succeeded.json | Payment of $49.00 for order ord_1002 succeeded",
            "acme/11_checkout.session.completed.payment.json | Checkout for order ord_1002 completed: $49.00 paid by Ada Acme",
            "acme/12_payment_intent.processing.json | Payment of $98.00 for order ord_1003 is processing",
            "acme/13_checkout.session.completed.payment_unpaid_async.json | Checkout for order ord_1003 completed: $98.00 awaiting payment from Ada Acme",
            "acme/14_customer.updated.json | Customer Acme Corp updated: email",
            "acme/15_checkout.session.async_payment_failed.json | Delayed payment of $147.00 for order ord_1004 failed",
            "acme/16_checkout.session.async_payment_succeeded.json | Delayed payment of $98.00 for order ord_1003 succeeded",
            "acme/17_checkout.session.expired.json | Checkout for order ord_1005 of $49.00 expired unpaid",
            "acme/18_refund.created.json | Refund of $15.00 on order ord_1002",
            "acme/19_charge.refunded.partial.json | Charge of $49.00 for order ord_1002 refunded $15.00",
            "acme/20_invoice.created.json | Draft invoice for $29.00 created for Acme Corp",
            "acme/21_invoice.finalized.json | Invoice ACMETEST-0005 for $29.00 issued to Acme Corp",
            "acme/22_payment_intent.payment_failed.json | Payment of $29.00 failed: Your card has insufficient funds.",
            "acme/23_invoice.payment_failed.json | Invoice ACMETEST-0005 for $29.00 to Acme Corp: payment failed (attempt 1)",
            "acme/24_customer.subscription.trial_will_end.json | Trial of subscription sub_TEST1_ADDON to prod_ANALYTICS at $15.00 a month ends on 2026-09-07",
            "acme/25_payment_intent.requires_action.json | Payment of $29.00 needs the customer's action",
            "acme/26_invoice.payment_action_required.json | Invoice ACMETEST-0005 for $29.00 to Acme Corp: payment needs the customer's action (attempt 2)",
            "acme/27_invoice.paid.subscription_cycle.json | Invoice ACMETEST-0005 for $29.00 paid by Acme Corp",
            "acme/28_customer.subscription.updated.json | Subscription sub_TEST1 updated: now prod_BUSINESS at $99.00 a month, active",
            "acme/29_entitlements.active_entitlement_summary.updated.json | Entitlements of customer cus_TEST1 now: advanced_reports, api_access, priority_support, sso",
            "acme/30_charge.dispute.created.json | Dispute of $29.00 opened on charge ch_TEST1_SUB0001: product unacceptable",
            "acme/31_customer.subscription.deleted.json | Subscription sub_TEST1 to prod_BUSINESS at $99.00 a month canceled: cancellation requested",
            "acme/32_invoice.marked_uncollectible.json | Invoice ACMETEST-0003 for $200.00 to Acme Corp written off as uncollectible",
            "acme/33_charge.dispute.closed.json | Dispute of $29.00 on charge ch_TEST1_SUB0001 closed: lost",
            "acme/34_customer.deleted.json | Customer Acme Corp deleted",
            "globex/01_customer.created.json | Customer Globex Corporation created",
            "globex/02_customer.subscription.created.json | Subscription sub_TEST2 created: prod_PRO at $29.00 a month, trialing until 2026-08-18",
            "globex/03_checkout.session.completed.subscription_trial.json | Checkout of a subscription for order ord_2001 completed: no payment required (Hank Scorpio)",
            "globex/04_customer.subscription.trial_will_end.json | Trial of subscription sub_TEST2 to prod_PRO at $29.00 a month ends on 2026-08-18",
            "globex/05_invoice.paid.subscription_cycle.json | Invoice GLOBEXTS-0002 for $29.00 paid by Globex Corporation",
            "legacy/invoice.payment_succeeded.2020-08-27.json | Invoice ACMETEST-0001 for $29.00 paid by Acme Corp",
            "unmapped/02_checkout.session.completed.payment_link_no_metadata.json | Checkout completed: $49.00 paid by Peter Gibbons"})
    void eachEventOfTheStoriesIsSummedUpInPlainWords(String fixture, String line) {
        assertEquals(line, summary(StripeFixtures.get(fixture).body()));
    }

    @Test
    void everyEventOfTheStoriesHasALineOfItsOwnWithItsAmount() throws Exception {
        List<StripeFixtures.Fixture> stories = StripeFixtures.all().stream()
                .filter(f -> f.name().startsWith("acme/") || f.name().startsWith("globex/")).toList();
        List<String> lines = EventSummaries.of(stories.stream().map(f -> stored(f.body())).toList(), ids -> NAMES);
        for (int i = 0; i < stories.size(); i++) {
            JsonObject object = stories.get(i).dataObject();
            String line = lines.get(i);
            assertTrue(line.length() > 10 && !line.startsWith("Stripe event"), stories.get(i).name() + ": " + line);
            boolean hasAmount = object.has("amount") || object.has("total") || object.has("amount_total")
                    || object.has("unit_amount") || object.has("items");
            if (hasAmount && !stories.get(i).name().contains("trial")) {
                assertTrue(line.matches(".*\\$\\d+\\.\\d{2}.*"), "the amount in its currency: " + line);
            }
        }
    }

    @Test
    void thePaymentsOfRefundsAndDisputesAreNamedByOneLookupForAll() throws Exception {
        List<Set<String>> asked = new ArrayList<>();
        List<String> lines = EventSummaries.of(List.of(
                stored(StripeFixtures.get("acme/18_refund.created.json").body()),
                stored(StripeFixtures.get("acme/30_charge.dispute.created.json").body()),
                stored(StripeFixtures.get("acme/05_invoice.paid.subscription_create.json").body())), ids -> {
                    asked.add(ids);
                    return Map.of("pi_TEST1_SUB0001", "invoice ACMETEST-0001", "ch_TEST1_ORD1002", "order ord_1002");
                });
        assertEquals(List.of(Set.of("ch_TEST1_ORD1002", "pi_TEST1_ORD1002", "ch_TEST1_SUB0001", "pi_TEST1_SUB0001")),
                asked, "one lookup, of the charges and payment intents refunds and disputes take money from");
        assertEquals(List.of("Refund of $15.00 on order ord_1002",
                "Dispute of $29.00 opened on invoice ACMETEST-0001: product unacceptable",
                "Invoice ACMETEST-0001 for $29.00 paid by Acme Corp"), lines);

        List<Set<String>> none = new ArrayList<>();
        EventSummaries.of(List.of(stored(StripeFixtures.get("acme/03_customer.created.json").body())), ids -> {
            none.add(ids);
            return Map.of();
        });
        assertEquals(List.of(), none, "no lookup where no event needs one");
        assertEquals("Refund of $15.00 on charge ch_TEST1_ORD1002",
                summary(StripeFixtures.get("acme/18_refund.created.json").body(), Map.of()),
                "a payment no record names: its charge");
    }

    @Test
    void aPaymentIsCalledByItsInvoiceNumberElseItsOrder() {
        assertEquals("invoice ACMETEST-0001", EventSummaries.paymentName("ACMETEST-0001", "ord_1001"));
        assertEquals("order ord_1002", EventSummaries.paymentName(null, "ord_1002"));
        assertEquals(null, EventSummaries.paymentName(null, null));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "jpy | 4900 | Invoice ACMETEST-0001 for ¥4,900 paid by Acme Corp",
            "kwd | 4900 | Invoice ACMETEST-0001 for KWD 4.900 paid by Acme Corp",
            "usd | 123456789 | Invoice ACMETEST-0001 for $1,234,567.89 paid by Acme Corp"})
    void amountsAreWrittenWithTheirCurrencysDecimals(String currency, long amount, String line) {
        assertEquals(line, summary(changed("acme/05_invoice.paid.subscription_create.json", invoice -> {
            invoice.addProperty("currency", currency);
            invoice.addProperty("amount_paid", amount);
            invoice.addProperty("total", amount);
        })));
    }

    @Test
    void refundsThatHaveNotGoneThroughSaySo() {
        assertEquals("Refund of $15.00 on order ord_1002 pending", summary(changed("acme/18_refund.created.json",
                refund -> refund.addProperty("status", "pending"))));
        assertEquals("Refund of $15.00 on order ord_1002 updated: failed", summary(StripeFixtures
                .get("acme/18_refund.created.json").withEventChanged("evt_refund_failed", event -> {
                    event.addProperty("type", "refund.updated");
                    event.getAsJsonObject("data").getAsJsonObject("object").addProperty("status", "failed");
                }).body()));
    }

    @Test
    void otherTypesGetTheGenericLineOfTheirObjectItsAmountAndWhatHappened() {
        assertEquals("Credit note cn_1 for $10.00 created", summary(event("credit_note.created",
                "{\"id\": \"cn_1\", \"object\": \"credit_note\", \"amount\": 1000, \"currency\": \"usd\"}")));
        assertEquals("Payout po_1 for ¥12,000 paid", summary(event("payout.paid",
                "{\"id\": \"po_1\", \"object\": \"payout\", \"amount\": 12000, \"currency\": \"jpy\"}")));
        assertEquals("Tax rate txr_1 updated", summary(event("tax_rate.updated",
                "{\"id\": \"txr_1\", \"object\": \"tax_rate\"}")));
        assertEquals("Charge of $29.00 read from Stripe", summary(event("charge.fetched",
                "{\"id\": \"ch_1\", \"object\": \"charge\", \"amount\": 2900, \"currency\": \"usd\"}")),
                "the service's own read of an object");
        assertEquals("Stripe event account.application.deauthorized", summary(event(
                "account.application.deauthorized", "{}")));
    }

    @Test
    void anEventWhoseBodyIsGoneOrUnreadableIsSummedUpByItsEnvelope() throws Exception {
        assertEquals(List.of("Invoice in_TEST1_SUB0001 paid", "Invoice in_X paid"), EventSummaries.of(List.of(
                new EventSummaries.Stored("invoice.paid", "invoice", "in_TEST1_SUB0001", null, null),
                new EventSummaries.Stored("invoice.paid", "invoice", "in_X", "not json".getBytes(StandardCharsets.UTF_8), null)),
                ids -> Map.of()));
        assertEquals("Invoice in_1 paid", summary(event("invoice.paid",
                "{\"id\": \"in_1\", \"object\": \"invoice\", \"total\": 100, \"currency\": \"not a code\"}")),
                "a field of the wrong kind: the envelope's line");
    }

    @Test
    void theLineKeptWithAnEventIsItsLineUnlessItNamesAPaymentLearntLater() {
        assertEquals("Invoice ACMETEST-0001 for $29.00 paid by Acme Corp", EventSummaries.lineToKeep(
                json(StripeFixtures.get("acme/06_invoice.payment_succeeded.json").body())));
        assertEquals("Customer Acme Corp updated: email", EventSummaries.lineToKeep(
                json(StripeFixtures.get("acme/14_customer.updated.json").body())));
        assertEquals(null, EventSummaries.lineToKeep(json(StripeFixtures.get("acme/18_refund.created.json").body())),
                "a refund's line names its payment, which may be named only later");
        assertEquals(null, EventSummaries.lineToKeep(
                json(StripeFixtures.get("acme/30_charge.dispute.created.json").body())));
    }

    @Test
    void aKeptLineIsShownAsKeptWithoutReadingTheBody() throws Exception {
        List<Set<String>> asked = new ArrayList<>();
        assertEquals(List.of("Invoice ACMETEST-0001 for $29.00 paid by Acme Corp", "Customer Acme Corp created"),
                EventSummaries.of(List.of(
                        new EventSummaries.Stored("invoice.paid", "invoice", "in_TEST1_SUB0001", null,
                                "Invoice ACMETEST-0001 for $29.00 paid by Acme Corp"),
                        new EventSummaries.Stored("customer.created", "customer", "cus_TEST1",
                                StripeFixtures.get("acme/18_refund.created.json").body(), "Customer Acme Corp created")),
                        ids -> {
                            asked.add(ids);
                            return Map.of();
                        }),
                "a body removed by data retention keeps its line; a kept line wins over the body");
        assertEquals(List.of(), asked, "no body was read, so no payment was looked up");
    }

    @Test
    void aLongLineIsCut() {
        String line = summary(changed("acme/03_customer.created.json", customer -> customer.addProperty("name",
                "A".repeat(1000))));
        assertEquals(EventSummaries.MAX_LENGTH, line.length());
        assertTrue(line.startsWith("Customer AAA") && line.endsWith("…"), line);
    }

    private static EventSummaries.Stored stored(byte[] body) {
        return new EventSummaries.Stored(null, null, null, body, null);
    }

    private static String summary(byte[] body) {
        return summary(body, NAMES);
    }

    private static String summary(byte[] body, Map<String, String> names) {
        return EventSummaries.of(json(body), names::get);
    }

    private static JsonObject json(byte[] body) {
        return JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    private static byte[] changed(String fixture, Consumer<JsonObject> change) {
        return StripeFixtures.get(fixture).withObjectChanged("evt_changed", change).body();
    }

    private static byte[] event(String type, String object) {
        return ("{\"id\": \"evt_1\", \"object\": \"event\", \"type\": \"" + type + "\", \"data\": {\"object\": " + object
                + "}}").getBytes(StandardCharsets.UTF_8);
    }
}
