package io.billing.it;

import com.google.gson.JsonParser;
import io.billing.entitlement.LicenceKeys;
import io.billing.testsupport.FakeStripeApi;
import io.billing.testsupport.StripeFixtures;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flows the product was described with, each end to end through the deployed service. The SaaS application
 * asks the checkout API for a session; Stripe (a local fake of its API) creates it and later delivers the
 * session's and the payment's events as it would, with the metadata the service gave the session; the licence
 * service and the commerce API (local fakes) are told what they need; support finds the payment from whatever it
 * is told.
 *
 * <p>Stripe's events are the recorded fixtures, renamed to the session, customer and tenant of each test (so no
 * other test's events touch them) and dated around now.
 */
@ExtendWith(ArquillianExtension.class)
class SeedFlowsIT {

    /** The acme fixtures' subscription Checkout Session and one-time (delayed payment) Checkout Session. */
    private static final String FIXTURE_SUBSCRIPTION_SESSION = "cs_test_a1ACMEsub1001lt8Ig89xn3MMV3HxQW4SxPBeYdEOQ0PlOvnMcXvr";
    private static final String FIXTURE_ORDER_SESSION = "cs_test_a1ACMEach1003mriFxdcc1H9tM9xwoW8rFjZX2HazXrq6oJmauqWU";
    /** When acme's renewal reached Stripe's subscription (28_customer.subscription.updated): "now" in these tests. */
    private static final long FIXTURE_RENEWAL_UPDATED = 1789466402L;
    /** Where the renewed period ends in the fixtures. */
    private static final long FIXTURE_RENEWED_PERIOD_END = 1791036151L;
    private static final Pattern TIMESTAMP = Pattern.compile("(\": )(1[78]\\d{8})\\b");
    private static final Duration GRACE = Duration.ofDays(3);

    private final WebhookClient client = new WebhookClient();
    private final TestEnvironment environment = TestEnvironment.get();
    private final FakeStripeApi stripe = environment.stripe;
    private final ConnectorFakes fakes = environment.connectors;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.billingWar();
    }

    @BeforeEach
    void catalogue() throws InterruptedException {
        SaasSetup.offerStandardPrices(client);
        // prod_PRO with its features, as Stripe announced it: what a subscription to it grants.
        String eventId = Unique.id("evt_product_");
        assertEquals(200, client.postSigned(StripeFixtures.get("acme/01_product.created.json").withEventId(eventId)
                .createdAt(WebhookClient.now()).body()).status());
        client.awaitStatus(eventId, "PROCESSED");
    }

    // ---------------------------------------------------------------------------------------------------------
    // The flows
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void aSubscriptionBoughtThroughTheCheckoutApiIsPaidRenewedAndItsLicenceBelongsToTheCustomersUser()
            throws Exception {
        Subscription bought = buySubscription(Unique.id("tenant_saas_"), false);
        Subscription renewed = renew(bought);

        // The attempt the application started followed its session to the end, and the trace shows it.
        JsonObject first = payment(trace(bought.attempt(), "checkout_attempt"), "invoice:" + bought.firstInvoice());
        JsonObject attempt = first.getJsonObject("checkout_attempt");
        assertEquals(bought.attempt(), attempt.getString("attempt_id"));
        assertEquals("COMPLETED", attempt.getString("status"), attempt.toString());
        assertEquals(bought.session(), attempt.getString("session_id"));
        assertNotNull(attempt.getString("settled_at"));
        assertEquals("PAID", first.getString("status"));

        // What the tenant may use now: the plan's features, until the renewed period ends plus the grace.
        String until = Instant.ofEpochSecond(FIXTURE_RENEWED_PERIOD_END + bought.shift()).plus(GRACE).toString();
        JsonArray features = entitlements(bought.tenant());
        assertFalse(features.isEmpty(), "the renewed subscription grants its plan's features");
        for (JsonObject feature : features.getValuesAs(JsonObject.class)) {
            assertEquals(until, feature.getString("until"), feature.toString());
            assertEquals(bought.subscription(), feature.getString("source"));
        }

        // The licence service: one user for the customer's address, the subscription's licence created for that
        // user and renewed to the same end.
        String licence = new LicenceKeys(environment.licenceKeySecret.getBytes(StandardCharsets.UTF_8))
                .hmac(bought.tenant(), bought.subscription(), "prod_PRO");
        Eventually.until(() -> fakes.licences().getOrDefault(licence, "").contains(until),
                "licence " + licence + " renewed until " + until);
        String userId = JsonParser.parseString(fakes.licenceCall("licence-create:" + licence)).getAsJsonObject()
                .get("user_id").getAsString();
        assertEquals(bought.email(), fakes.licenceUsers().get(userId), "the licence belongs to the customer's user");
        assertEquals(1, fakes.licenceUsers().values().stream().filter(bought.email()::equals).count());
        JsonObject user = client.operator("GET", "api/admin/tenants/" + bought.tenant(), null).json()
                .getJsonArray("licence_users").getJsonObject(0);
        assertEquals(userId, user.getString("user_id"));
        assertEquals(bought.customer(), user.getString("customer_id"));

        // Both invoices paid, each its own payment of the subscription.
        JsonObject ofSubscription = trace(bought.subscription(), "object");
        assertEquals("PAID", payment(ofSubscription, "invoice:" + renewed.renewalInvoice()).getString("status"));
        assertEquals("PAID", payment(ofSubscription, "invoice:" + bought.firstInvoice()).getString("status"));
    }

    @Test
    void aOneTimeOrderFromTheCheckoutApiReachesAMatchedStoreOrderWithEveryStateOfItsRecordTimed() throws Exception {
        OneTimeOrder order = buyOnce(Unique.id("tenant_shop_"));

        JsonObject record = client.operator("GET", "api/admin/reconciliation/payment:" + order.paymentIntent(), null)
                .json();
        assertEquals(order.tenant(), record.getString("tenant_id"));
        assertEquals(order.order(), record.getString("order_id"));
        assertEquals(order.attempt(), record.getString("checkout_attempt_id"));
        assertEquals(order.storeOrder(), record.getString("store_order_id"));
        assertEquals("store_eu", record.getString("store_id"));
        assertEquals("MATCHED", record.getString("store_check"));
        assertEquals("test", record.getString("mode"));
        assertEquals(order.session(), record.getString("checkout_session_id"));
        assertEquals(order.charge(), record.getString("charge_id"));
        assertEquals("COMPLETED", record.getJsonObject("checkout_attempt").getString("status"));

        // Every state once, each at the time Stripe says it happened (the store check: when it was checked).
        Map<String, String> reached = new LinkedHashMap<>();
        for (JsonObject state : record.getJsonArray("history").getValuesAs(JsonObject.class)) {
            reached.put(state.getString("state"), state.getString("reached_at"));
        }
        assertEquals(Instant.ofEpochSecond(order.startedAt()).toString(), reached.get("PAYMENT_PENDING"), reached.toString());
        assertEquals(Instant.ofEpochSecond(order.startedAt() + 60).toString(), reached.get("PAID"), reached.toString());
        assertEquals(Instant.ofEpochSecond(order.startedAt() + 3600).toString(), reached.get("PARTIALLY_REFUNDED"),
                reached.toString());
        assertEquals(Instant.ofEpochSecond(order.startedAt() + 7200).toString(), reached.get("DISPUTED"), reached.toString());
        for (String state : List.of("CREATED", "STORE_CHECK_MATCHED")) {
            assertNotNull(reached.get(state), state + " in " + reached);
        }
        Instant checked = Instant.parse(reached.get("STORE_CHECK_MATCHED"));
        assertTrue(!checked.isBefore(Instant.ofEpochSecond(order.startedAt() + 60)), "checked once paid: " + reached);
        List<Instant> times = reached.values().stream().map(Instant::parse).toList();
        assertEquals(times.stream().sorted().toList(), times, "earliest first: " + reached);
    }

    @Test
    void aCheckoutRetriedAfterAServerErrorGetsANewKeyAndAfterATimeoutKeepsItsOwn() throws Exception {
        String tenant = Unique.id("tenant_retry_");
        assertEquals(201, checkout(tenant, Unique.id("ord_"), "payment").status()); // the tenant's customer exists now

        // A 500: Stripe keeps that answer under the key (stripe-java's own retries get it again). Sent again, the
        // attempt asks under a new key, and one session results.
        String afterError = Unique.id("ord_");
        stripe.failNext("/v1/checkout/sessions", 1, 500, "api_error", null, "An unknown error occurred");
        int sessionsBefore = stripe.sessionsCreated();
        WebhookClient.Answer serverError = checkout(tenant, afterError, "payment");
        assertEquals(502, serverError.status(), serverError.body());
        WebhookClient.Answer resent = checkout(tenant, afterError, "payment");
        assertEquals(201, resent.status(), resent.body());
        String attempt = resent.json().getString("attempt_id");
        assertEquals("checkout-" + attempt + "-1", lastSessionRequest(tenant).idempotencyKey());
        assertEquals(sessionsBefore + 1, stripe.sessionsCreated());
        JsonObject afterErrorAttempt = attemptOf(attempt);
        assertEquals(1, afterErrorAttempt.getInt("key_generation"), afterErrorAttempt.toString());
        assertEquals("OPEN", afterErrorAttempt.getString("status"));

        // A timeout: Stripe created the session, but its answer never came in time (nor to stripe-java's retries).
        // The service cannot know, so the attempt keeps its key: sent again, Stripe gives the same session back.
        String afterTimeout = Unique.id("ord_");
        stripe.answerLate("/v1/checkout/sessions", 3, Duration.ofSeconds(6));
        WebhookClient.Answer timedOut = checkout(tenant, afterTimeout, "payment");
        assertEquals(504, timedOut.status(), timedOut.body());
        assertEquals("stripe_unreachable", timedOut.error());
        assertEquals(sessionsBefore + 2, stripe.sessionsCreated(), "Stripe did create the session");
        String keyTried = lastSessionRequest(tenant).idempotencyKey();
        WebhookClient.Answer again = checkout(tenant, afterTimeout, "payment");
        assertEquals(201, again.status(), again.body());
        assertEquals(keyTried, lastSessionRequest(tenant).idempotencyKey(), "the same key");
        assertEquals("checkout-" + again.json().getString("attempt_id"), keyTried);
        assertEquals(sessionsBefore + 2, stripe.sessionsCreated(), "no second session");
        String sessionId = again.json().getString("session_id");
        assertTrue(stripe.requests("POST", "/v1/checkout/sessions").stream().filter(r -> keyTried.equals(r.idempotencyKey()))
                .count() >= 4, "the first try, stripe-java's retries and the resend, all under one key");
        assertEquals(sessionId, attemptOf(again.json().getString("attempt_id")).getString("session_id"));
    }

    @Test
    void aPaymentIsFoundFromEveryIdentifierSupportIsTold() throws Exception {
        String tenant = Unique.id("tenant_support_");
        Subscription subscription = renew(buySubscription(tenant, true));
        OneTimeOrder order = buyOnce(tenant);
        String firstInvoice = "invoice:" + subscription.firstInvoice();
        String renewal = "invoice:" + subscription.renewalInvoice();
        String once = "payment:" + order.paymentIntent();

        Map<String, List<String>> found = new LinkedHashMap<>();
        found.put(subscription.firstInvoice(), List.of("object", firstInvoice));
        found.put(subscription.invoiceNumber() + "-0001", List.of("invoice_number", firstInvoice));
        found.put(subscription.subscription(), List.of("object", firstInvoice, renewal));
        found.put(subscription.creditNote(), List.of("object", renewal));
        found.put(subscription.session(), List.of("object", firstInvoice));
        found.put(subscription.customer(), List.of("customer", firstInvoice, renewal, once));
        found.put(subscription.email().toUpperCase(Locale.ROOT), List.of("email", firstInvoice, renewal, once));
        found.put(order.charge(), List.of("object", once));
        found.put(order.paymentIntent(), List.of("object", once));
        found.put(order.session(), List.of("object", once));
        found.put(order.refund(), List.of("object", once));
        found.put(order.dispute(), List.of("object", once));
        found.put(order.order(), List.of("order", once));
        found.put(order.attempt(), List.of("checkout_attempt", once));
        found.put(order.storeOrder(), List.of("store_order", once));
        for (Map.Entry<String, List<String>> lookup : found.entrySet()) {
            JsonObject trace = trace(lookup.getKey(), lookup.getValue().get(0));
            for (String paymentKey : lookup.getValue().subList(1, lookup.getValue().size())) {
                payment(trace, paymentKey);
            }
        }

        // Wherever it is found from, the one-time payment's trace holds every posting of it: the payment, the
        // refund and the dispute, whichever event posted each.
        for (String id : List.of(order.charge(), order.refund(), order.dispute(), order.storeOrder())) {
            List<String> postings = trace(id, null).getJsonArray("postings").getValuesAs(JsonObject.class).stream()
                    .filter(p -> once.equals(p.getString("payment_key", null)))
                    .map(p -> p.getString("business_key")).sorted().toList();
            assertEquals(List.of("dispute_opened:" + order.dispute(), once, "refund:" + order.refund()), postings, id);
        }
        WebhookClient.Answer nothing = client.operator("GET", "api/admin/trace/" + Unique.id("no-such-thing-"), null);
        assertEquals(404, nothing.status(), nothing.body());
    }

    // ---------------------------------------------------------------------------------------------------------
    // The steps of the flows, as the application and Stripe take them
    // ---------------------------------------------------------------------------------------------------------

    /**
     * @param shift     seconds added to the fixtures' times, so that the renewal happens now
     * @param invoiceNumber the invoices' number prefix; the first is {@code <prefix>-0001}
     */
    private record Subscription(String tenant, String customer, String email, String attempt, String session,
                                String subscription, String firstInvoice, String renewalInvoice,
                                String invoiceNumber, String creditNote, long shift, Map<String, String> renames) {
    }

    /** @param startedAt when the customer completed the session (its payment still under way), unix seconds */
    private record OneTimeOrder(String tenant, String order, String attempt, String session, String paymentIntent,
                                String charge, String refund, String dispute, String storeOrder, long startedAt) {
    }

    /** The application starts a subscription checkout; Stripe tells of the customer, the session and the first invoice. */
    private Subscription buySubscription(String tenant, boolean withCreditNote) throws Exception {
        String order = Unique.id("ord_");
        WebhookClient.Answer started = checkout(tenant, order, "subscription");
        assertTrue(started.status() == 201 || started.status() == 200, started.body());
        JsonObject session = started.json();
        String token = Unique.id("IT").toUpperCase(Locale.ROOT);
        String email = tenant + "@billing.example";
        Map<String, String> renames = new LinkedHashMap<>();
        renames.put(FIXTURE_SUBSCRIPTION_SESSION, session.getString("session_id"));
        renames.put("cus_TEST1", session.getString("customer_id"));
        renames.put("tenant_acme", tenant);
        renames.put("billing@acme.example", email);
        renames.put("ord_1001", order);
        renames.put("ACMETEST", "N" + token);
        renames.put("TEST1", token);
        long shift = WebhookClient.now() - FIXTURE_RENEWAL_UPDATED - 60;
        String attempt = session.getString("attempt_id");
        deliver("acme/03_customer.created.json", renames, shift, event -> {
        });
        deliver("acme/07_checkout.session.completed.subscription.json", renames, shift,
                event -> dataObject(event).getAsJsonObject("metadata").addProperty("checkout_attempt_id", attempt));
        deliver("acme/04_customer.subscription.created.json", renames, shift, event -> {
        });
        deliver("acme/05_invoice.paid.subscription_create.json", renames, shift, event -> {
        });
        String creditNote = withCreditNote ? "cn_" + token : null;
        return new Subscription(tenant, session.getString("customer_id"), email, attempt,
                session.getString("session_id"), "sub_" + token, "in_" + token + "_SUB0001", "in_" + token + "_SUB0002",
                "N" + token, creditNote, shift, renames);
    }

    /**
     * A month on, Stripe renews the subscription: the renewal invoice is paid and the subscription moves to its
     * new period. Before that the tenant's grant (period end plus grace) has run out. With a credit note asked
     * for, support then credits part of the renewal.
     */
    private Subscription renew(Subscription bought) throws Exception {
        assertTrue(entitlements(bought.tenant()).isEmpty(), "the first period and its grace are over");
        deliver("acme/27_invoice.paid.subscription_cycle.json", bought.renames(), bought.shift(), event -> {
        });
        deliver("acme/28_customer.subscription.updated.json", bought.renames(), bought.shift(), event -> {
        });
        if (bought.creditNote() != null) {
            deliver("acme/18_refund.created.json", bought.renames(), bought.shift(), event -> {
                event.addProperty("type", "credit_note.created");
                com.google.gson.JsonObject note = new com.google.gson.JsonObject();
                note.addProperty("id", bought.creditNote());
                note.addProperty("object", "credit_note");
                note.addProperty("amount", 500);
                note.addProperty("currency", "usd");
                note.addProperty("customer", bought.customer());
                note.addProperty("invoice", bought.renewalInvoice());
                note.addProperty("number", bought.invoiceNumber() + "-0005-CN-01");
                note.addProperty("status", "issued");
                note.add("metadata", new com.google.gson.JsonObject());
                event.getAsJsonObject("data").add("object", note);
            });
        }
        return bought;
    }

    /**
     * The application starts a one-time checkout for an order of its own numbering; the customer pays by a
     * delayed method, the payment succeeds a minute later, the store confirms the order; an hour later a part is
     * refunded, an hour after that the payment is disputed.
     */
    private OneTimeOrder buyOnce(String tenant) throws Exception {
        String order = "SO-2026-" + Unique.id("").toUpperCase(Locale.ROOT);
        String storeOrder = "EU-" + Unique.id("").toUpperCase(Locale.ROOT);
        fakes.putOrder(order, "{\"order_id\":\"" + storeOrder + "\",\"store_id\":\"store_eu\",\"status\":\"paid\","
                + "\"currency\":\"usd\",\"total\":\"49.00\",\"lines\":[{\"sku\":\"PRO-1Y\",\"quantity\":1,\"amount\":\"49.00\"}]}");
        WebhookClient.Answer started = checkout(tenant, order, "payment");
        assertTrue(started.status() == 201 || started.status() == 200, started.body());
        JsonObject session = started.json();
        String attempt = session.getString("attempt_id");
        String token = Unique.id("IT").toUpperCase(Locale.ROOT);
        String paymentIntent = "pi_" + token;
        String charge = "ch_" + token;
        Map<String, String> renames = new LinkedHashMap<>();
        renames.put(FIXTURE_ORDER_SESSION, session.getString("session_id"));
        renames.put("cus_TEST1", session.getString("customer_id"));
        renames.put("pi_TEST1_ORD1003", paymentIntent);
        renames.put("pi_TEST1_ORD1002", paymentIntent);
        renames.put("pi_TEST1_SUB0001", paymentIntent);
        renames.put("ch_TEST1_ORD1002", charge);
        renames.put("ch_TEST1_SUB0001", charge);
        renames.put("ord_1003", order);
        renames.put("ord_1002", order);
        renames.put("tenant_acme", tenant);
        renames.put(": 9800", ": 4900"); // the delayed-payment session's amounts, as this order's
        renames.put("TEST1", token);
        long startedAt = WebhookClient.now() - 3 * 3600;
        Consumer<com.google.gson.JsonObject> ofThisAttempt = event -> {
            com.google.gson.JsonObject metadata = dataObject(event).getAsJsonObject("metadata");
            metadata.addProperty("checkout_attempt_id", attempt);
        };
        deliverAt("acme/13_checkout.session.completed.payment_unpaid_async.json", renames, startedAt, ofThisAttempt);
        deliverAt("acme/16_checkout.session.async_payment_succeeded.json", renames, startedAt + 60, ofThisAttempt);
        deliverAt("acme/09_charge.succeeded.json", renames, startedAt + 61, event -> {
        });
        deliverAt("acme/10_payment_intent.succeeded.json", renames, startedAt + 62, event -> {
        });
        String paymentKey = "payment:" + paymentIntent;
        Eventually.until(() -> "MATCHED".equals(client.operator("GET", "api/admin/reconciliation/" + paymentKey, null)
                .json().getString("store_check", null)), paymentKey + " matched with the store's order");
        deliverAt("acme/18_refund.created.json", renames, startedAt + 3600, event -> {
        });
        deliverAt("acme/19_charge.refunded.partial.json", renames, startedAt + 3601, event -> {
        });
        deliverAt("acme/30_charge.dispute.created.json", renames, startedAt + 7200, event -> {
        });
        return new OneTimeOrder(tenant, order, attempt, session.getString("session_id"), paymentIntent, charge,
                "re_" + token + "_0001", "du_" + token + "_0001", storeOrder, startedAt);
    }

    /** The SaaS application asks for a Checkout Session of the catalogue's price for the mode. */
    private WebhookClient.Answer checkout(String tenant, String order, String mode) {
        String price = mode.equals("subscription") ? SaasSetup.MONTHLY : SaasSetup.ONCE;
        return client.withToken("POST", "api/billing/checkout", "{\"tenant_id\":\"" + tenant + "\",\"order_id\":\""
                + order + "\",\"price\":\"" + price + "\",\"mode\":\"" + mode + "\",\"create_tenant\":true}",
                environment.serviceToken);
    }

    /** A fixture as Stripe delivers it for this flow: renamed, its times moved by {@code shift} seconds. */
    private void deliver(String fixture, Map<String, String> renames, long shift,
                         Consumer<com.google.gson.JsonObject> change) throws InterruptedException {
        String body = new String(StripeFixtures.get(fixture).body(), StandardCharsets.UTF_8);
        for (Map.Entry<String, String> rename : renames.entrySet()) {
            body = body.replace(rename.getKey(), rename.getValue());
        }
        Matcher timestamps = TIMESTAMP.matcher(body);
        StringBuilder shifted = new StringBuilder();
        while (timestamps.find()) {
            timestamps.appendReplacement(shifted, "$1" + (Long.parseLong(timestamps.group(2)) + shift));
        }
        timestamps.appendTail(shifted);
        com.google.gson.JsonObject event = JsonParser.parseString(shifted.toString()).getAsJsonObject();
        String eventId = Unique.id("evt_flow_");
        event.addProperty("id", eventId);
        change.accept(event);
        assertEquals(200, client.postSigned(event.toString().getBytes(StandardCharsets.UTF_8)).status(), fixture);
        client.awaitStatus(eventId, "PROCESSED");
    }

    /** A fixture as Stripe delivers it for this flow: renamed, created at {@code created}. */
    private void deliverAt(String fixture, Map<String, String> renames, long created,
                           Consumer<com.google.gson.JsonObject> change) throws InterruptedException {
        deliver(fixture, renames, 0, event -> {
            event.addProperty("created", created);
            change.accept(event);
        });
    }

    private static com.google.gson.JsonObject dataObject(com.google.gson.JsonObject event) {
        return event.getAsJsonObject("data").getAsJsonObject("object");
    }

    private FakeStripeApi.Request lastSessionRequest(String tenant) {
        List<FakeStripeApi.Request> posts = stripe.requests("POST", "/v1/checkout/sessions").stream()
                .filter(r -> tenant.equals(r.form().get("client_reference_id"))).toList();
        return posts.get(posts.size() - 1);
    }

    private JsonArray entitlements(String tenant) {
        WebhookClient.Answer answer = client.getWithToken("api/tenants/" + tenant + "/entitlements",
                environment.serviceToken);
        assertEquals(200, answer.status(), answer.body());
        return answer.json().getJsonArray("features");
    }

    /** The trace from {@code id}, which must be taken for {@code resolvedAs} (null: whatever it is taken for). */
    private JsonObject trace(String id, String resolvedAs) {
        WebhookClient.Answer answer = client.operator("GET", "api/admin/trace/"
                + java.net.URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"), null);
        assertEquals(200, answer.status(), id + ": " + answer.body());
        if (resolvedAs != null) {
            assertEquals(resolvedAs, answer.json().getString("resolved_as"), id);
        }
        return answer.json();
    }

    /** The trace's payment of this key; fails if the trace does not list it. */
    private static JsonObject payment(JsonObject trace, String paymentKey) {
        return trace.getJsonArray("payments").getValuesAs(JsonObject.class).stream()
                .filter(p -> paymentKey.equals(p.getString("payment_key"))).findFirst()
                .orElseThrow(() -> new AssertionError(trace.getString("id") + " does not find " + paymentKey + ": "
                        + trace.getJsonArray("payments").stream().map(JsonValue::toString).toList()));
    }

    /** The checkout attempt as the trace from its id shows it, on a payment or, before any, with nothing found. */
    private JsonObject attemptOf(String attemptId) {
        WebhookClient.Answer answer = client.operator("GET", "api/admin/checkout-attempts/" + attemptId, null);
        assertEquals(200, answer.status(), attemptId + ": " + answer.body());
        return answer.json();
    }
}
