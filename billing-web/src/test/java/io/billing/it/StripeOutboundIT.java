package io.billing.it;

import io.billing.testsupport.FakeStripeApi;
import io.billing.testsupport.StripeFixtures;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deployed service talking back to Stripe (a local fake of its API): Checkout and Portal sessions for the
 * SaaS application, Stripe's failures as clear answers, missed-event recovery and an operator's resync.
 */
@ExtendWith(ArquillianExtension.class)
class StripeOutboundIT {

    private final WebhookClient client = new WebhookClient();
    private final TestEnvironment environment = TestEnvironment.get();
    private final FakeStripeApi stripe = environment.stripe;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.billingWar();
    }

    @BeforeEach
    void catalogue() throws InterruptedException {
        SaasSetup.offerStandardPrices(client);
    }

    /** A checkout of a new tenant's order (registered by the request), at the catalogue's price for the mode. */
    private WebhookClient.Answer checkout(String tenant, String order, String mode) {
        String price = mode.equals("subscription") ? SaasSetup.MONTHLY : SaasSetup.ONCE;
        return client.withToken("POST", "api/billing/checkout", "{\"tenant_id\":\"" + tenant + "\",\"order_id\":\""
                + order + "\",\"price\":\"" + price + "\",\"quantity\":2,\"mode\":\"" + mode
                + "\",\"create_tenant\":true}", environment.serviceToken);
    }

    private List<FakeStripeApi.Request> sessionPosts(String tenant) {
        return stripe.requests("POST", "/v1/checkout/sessions").stream()
                .filter(r -> tenant.equals(r.form().get("client_reference_id"))).toList();
    }

    @Test
    void aCheckoutCarriesTheTenantAndOrderEverywhereAndARetriedRequestCreatesNoSecondSession() {
        String tenant = Unique.id("tenant_co_");
        String order = Unique.id("ord_");
        WebhookClient.Answer first = checkout(tenant, order, "subscription");
        assertEquals(201, first.status(), first.body());
        JsonObject session = first.json();
        assertTrue(session.getString("url").startsWith("https://checkout.stripe.com/"), session.toString());

        FakeStripeApi.Request created = sessionPosts(tenant).get(0);
        Map<String, String> form = created.form();
        String attempt = session.getString("attempt_id");
        for (String prefix : List.of("metadata", "subscription_data[metadata]")) {
            assertEquals(tenant, form.get(prefix + "[tenant_id]"), prefix);
            assertEquals(order, form.get(prefix + "[order_id]"), prefix);
            assertEquals(attempt, form.get(prefix + "[checkout_attempt_id]"), prefix);
        }
        assertEquals("subscription", form.get("mode"));
        assertEquals("price_PRO_MONTHLY", form.get("line_items[0][price]"));
        assertEquals("2", form.get("line_items[0][quantity]"));
        assertEquals("checkout-" + attempt, created.idempotencyKey());
        String customer = session.getString("customer_id");
        assertEquals(customer, form.get("customer"));

        WebhookClient.Answer again = checkout(tenant, order, "subscription");
        assertEquals(200, again.status(), again.body());
        assertEquals(session.getString("session_id"), again.json().getString("session_id"));
        assertTrue(again.json().getBoolean("reused"));
        assertEquals(1, sessionPosts(tenant).size(), "the retried request reached Stripe no second time");

        // Another order of the tenant: a one-time payment, same customer, metadata on the payment intent.
        WebhookClient.Answer payment = checkout(tenant, Unique.id("ord_"), "payment");
        assertEquals(201, payment.status(), payment.body());
        assertEquals(customer, payment.json().getString("customer_id"), "one Stripe customer per tenant");
        assertEquals(tenant, sessionPosts(tenant).get(1).form().get("payment_intent_data[metadata][tenant_id]"));
        assertEquals(1, stripe.requests("POST", "/v1/customers").stream()
                .filter(r -> tenant.equals(r.form().get("metadata[tenant_id]"))).count());

        WebhookClient.Answer otherTerms = client.withToken("POST", "api/billing/checkout", "{\"tenant_id\":\"" + tenant
                + "\",\"order_id\":\"" + order + "\",\"price\":\"price_PRO_MONTHLY\",\"mode\":\"subscription\"}",
                environment.serviceToken);
        assertEquals(409, otherTerms.status(), otherTerms.body());
        assertEquals("order_conflict", otherTerms.error());

        assertEquals(401, client.withToken("POST", "api/billing/checkout", "{}", null).status());
        WebhookClient.Answer noMode = client.withToken("POST", "api/billing/checkout",
                "{\"tenant_id\":\"t\",\"order_id\":\"o\",\"price\":\"price_x\"}", environment.serviceToken);
        assertEquals(400, noMode.status(), noMode.body());
    }

    @Test
    void stripeFailuresBecomeClearAnswersAndAreRetriedOnlyWhereSafe() {
        String tenant = Unique.id("tenant_err_");
        assertEquals(201, checkout(tenant, Unique.id("ord_"), "payment").status()); // the customer exists now

        // A 500: Stripe keeps it under the idempotency key, so stripe-java's own retry under that key is answered
        // the 500 again and the request fails. Resent, the checkout asks under a new key: one session results.
        stripe.failNext("/v1/checkout/sessions", 1, 500, "api_error", null, "An unknown error occurred");
        String serverErrorOrder = Unique.id("ord_");
        WebhookClient.Answer afterServerError = checkout(tenant, serverErrorOrder, "payment");
        assertEquals(502, afterServerError.status(), afterServerError.body());
        List<FakeStripeApi.Request> posts = sessionPosts(tenant);
        String failedKey = posts.get(1).idempotencyKey();
        assertTrue(posts.size() >= 3, "first order, then the failed try and stripe-java's retries: " + posts.size());
        assertTrue(posts.subList(1, posts.size()).stream().allMatch(p -> failedKey.equals(p.idempotencyKey())),
                "stripe-java retried under the same key");
        WebhookClient.Answer resent = checkout(tenant, serverErrorOrder, "payment");
        assertEquals(201, resent.status(), resent.body());
        List<FakeStripeApi.Request> afterResend = sessionPosts(tenant);
        assertEquals(posts.size() + 1, afterResend.size(), "one request made the session");
        assertEquals(failedKey + "-1", afterResend.get(afterResend.size() - 1).idempotencyKey(), "a new key");

        // A declined card is never retried.
        stripe.failNext("/v1/checkout/sessions", 1, 402, "card_error", "card_declined", "Your card was declined.");
        String declinedOrder = Unique.id("ord_");
        WebhookClient.Answer declined = checkout(tenant, declinedOrder, "payment");
        assertEquals(402, declined.status(), declined.body());
        assertEquals("card_error", declined.error());
        assertTrue(declined.json().getString("message").contains("card_declined"), declined.body());
        assertEquals(afterResend.size() + 1, sessionPosts(tenant).size(), "one try, no retry");

        // Rate limited: told to come back; the same request later creates the session under the same key.
        stripe.failNext("/v1/checkout/sessions", 1, 429, "invalid_request_error", "rate_limit", "Too many requests");
        String limitedOrder = Unique.id("ord_");
        WebhookClient.Answer limited = checkout(tenant, limitedOrder, "payment");
        assertEquals(503, limited.status(), limited.body());
        assertEquals("stripe_rate_limited", limited.error());
        assertNotNull(limited.retryAfter());
        assertEquals(201, checkout(tenant, limitedOrder, "payment").status());
        List<FakeStripeApi.Request> all = sessionPosts(tenant);
        assertEquals(all.get(all.size() - 2).idempotencyKey(), all.get(all.size() - 1).idempotencyKey());
    }

    @Test
    void thePortalNeedsTheTenantsCustomer() {
        WebhookClient.Answer none = client.getWithToken("api/billing/portal?tenant_id=" + Unique.id("tenant_none_"),
                environment.serviceToken);
        assertEquals(404, none.status(), none.body());
        assertEquals("no_customer", none.error());

        String tenant = Unique.id("tenant_portal_");
        assertEquals(201, checkout(tenant, Unique.id("ord_"), "subscription").status());
        WebhookClient.Answer portal = client.getWithToken("api/billing/portal?tenant_id=" + tenant, environment.serviceToken);
        assertEquals(200, portal.status(), portal.body());
        assertTrue(portal.json().getString("url").startsWith("https://billing.stripe.com/"), portal.body());
    }

    @Test
    void missedEventsAreRecoveredFromTheEventsApiOnceAndAResyncAppliesASnapshot() throws Exception {
        // Three globex events that never reached the webhook, renamed so no other test has them, dated now.
        List<String> ids = new ArrayList<>();
        long now = WebhookClient.now();
        for (String name : List.of("globex/01_customer.created.json", "globex/02_customer.subscription.created.json",
                "globex/05_invoice.paid.subscription_cycle.json")) {
            String id = Unique.id("evt_missed_");
            ids.add(id);
            String body = new String(StripeFixtures.get(name).withEventId(id).body(), StandardCharsets.UTF_8)
                    .replaceFirst("\"created\": [0-9]+,", "\"created\": " + now + ",");
            stripe.addEvent(body);
        }
        WebhookClient.Answer run = client.operator("POST", "api/admin/stripe/recovery", null);
        assertEquals(200, run.status(), run.body());
        assertEquals("SUCCEEDED", run.json().getString("status"), run.body());
        assertTrue(run.json().getInt("events_new") >= 3, run.body());
        for (String id : ids) {
            client.awaitStatus(id, "PROCESSED");
        }
        WebhookClient.Answer second = client.operator("POST", "api/admin/stripe/recovery", null);
        assertEquals(0, second.json().getInt("events_new"), second.body());
        try (Connection db = environment.openDatabase(); Statement query = db.createStatement();
             ResultSet rows = query.executeQuery("SELECT COUNT(*) FROM inbox_event WHERE source = 'EVENTS_API'"
                     + " AND event_id IN ('" + String.join("','", ids) + "')")) {
            rows.next();
            assertEquals(3, rows.getInt(1));
        }
        JsonObject runs = client.operator("GET", "api/admin/stripe/recovery/runs", null).json();
        assertTrue(runs.getJsonArray("runs").stream().anyMatch(r -> r.asJsonObject().getString("trigger").equals("schedule")),
                "the scheduled run at start is recorded too: " + runs);

        // Resync one object: read from the API, applied as a snapshot event.
        String subscription = Unique.id("sub_resync_");
        com.google.gson.JsonObject snapshot = StripeFixtures.get("globex/02_customer.subscription.created.json").dataObject();
        snapshot.addProperty("id", subscription);
        snapshot.addProperty("status", "active");
        stripe.putObject(snapshot.toString());
        WebhookClient.Answer resync = client.operator("POST", "api/admin/stripe/objects/" + subscription + "/resync",
                "{\"reason\":\"support ticket 42: status looks stale\"}");
        assertEquals(202, resync.status(), resync.body());
        JsonObject applied = client.awaitStatus(resync.json().getString("event_id"), "PROCESSED");
        assertEquals("tenant_globex", applied.getString("tenant_id"), applied.toString());
        assertEquals(400, client.operator("POST", "api/admin/stripe/objects/" + subscription + "/resync", "{}").status());
        assertEquals(404, client.operator("POST", "api/admin/stripe/objects/sub_nowhere/resync",
                "{\"reason\":\"x\"}").status());
    }
}
