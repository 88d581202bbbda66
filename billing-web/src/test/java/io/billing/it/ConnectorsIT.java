package io.billing.it;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.billing.testsupport.StripeFixtures;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deployed service's connectors against local fakes of the rating edge and the commerce API: payments
 * reported once under one key through a flaky receiver, a receiver down for the whole retry window leaving a
 * failed row an operator retries, and store orders checked, with exceptions retried or resolved.
 */
@ExtendWith(ArquillianExtension.class)
class ConnectorsIT {

    private final WebhookClient client = new WebhookClient();
    private final TestEnvironment environment = TestEnvironment.get();
    private final ConnectorFakes fakes = environment.connectors;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.billingWar();
    }

    private String payOrder(String tenant, String order, long amount) throws InterruptedException {
        return Payments.payOrder(client, tenant, order, amount);
    }

    private String deliverPayment(String fixture, String tenant, String order, String paymentIntent, long amount)
            throws InterruptedException {
        return Payments.deliver(client, fixture, tenant, order, paymentIntent, amount);
    }

    private String outboxStatus(String key) {
        WebhookClient.Answer answer = client.operator("GET", "api/admin/outbox/" + key, null);
        return answer.status() == 200 ? answer.json().getString("status") : "HTTP " + answer.status();
    }

    private String storeCheck(String paymentKey) {
        try (Connection db = environment.openDatabase(); PreparedStatement query = db.prepareStatement(
                "SELECT store_check FROM reconciliation_record WHERE payment_key = ?")) {
            query.setString(1, paymentKey);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRatingEdgeThatFailsTwiceGetsEachPaymentOnceUnderOneKey() throws Exception {
        String tenant = Unique.id("tenant_flaky_");
        fakes.failRating(tenant, 2);
        String paymentIntent = payOrder(tenant, Unique.id("ord_"), 4900);
        String key = "rating:payment:" + paymentIntent;
        Eventually.until(() -> fakes.ratedOnce().containsKey(key), "the rating edge applied " + key);

        List<ConnectorFakes.RatingCall> calls = fakes.ratingCalls(tenant);
        assertEquals(List.of(503, 503, 200), calls.stream().map(ConnectorFakes.RatingCall::answeredStatus).toList());
        assertTrue(calls.stream().allMatch(c -> c.idempotencyKey().equals(key)), "one key for every try: " + calls);
        JsonObject rated = JsonParser.parseString(fakes.ratedOnce().get(key)).getAsJsonObject();
        assertEquals(tenant, rated.get("tenant_id").getAsString());
        assertEquals(paymentIntent, rated.get("external_payment_id").getAsString());
        assertEquals("49.00", rated.get("amount").getAsBigDecimal().toPlainString());
        assertEquals("USD", rated.get("currency").getAsString());
        // The edge answered; the dispatcher marks the message delivered in its own transaction just after.
        Eventually.until(() -> "DELIVERED".equals(outboxStatus(key)), key + " delivered");

        // The same payment's charge arrives too: the ledger has the fact already, so nothing more is rated.
        deliverPayment("acme/09_charge.succeeded.json", tenant, rated.get("order_id").getAsString(), paymentIntent, 4900);
        TimeUnit.SECONDS.sleep(2);
        assertEquals(3, fakes.ratingCalls(tenant).size());
    }

    @Test
    void aRatingEdgeDownForTheWholeRetryWindowLeavesAFailedRowThatAnOperatorRetries() throws Exception {
        String tenant = Unique.id("tenant_down_");
        fakes.failRating(tenant, Integer.MAX_VALUE);
        String key = "rating:payment:" + payOrder(tenant, Unique.id("ord_"), 1500);
        Eventually.until(() -> "FAILED".equals(outboxStatus(key)), key + " failed after the retry window");
        assertEquals(3, fakes.ratingCalls(tenant).size(), "the configured 3 attempts");
        WebhookClient.Answer failed = client.operator("GET", "api/admin/outbox?status=FAILED&destination=rating", null);
        assertTrue(failed.body().contains(key), failed.body());

        fakes.heal(tenant);
        WebhookClient.Answer retry = client.operator("POST", "api/admin/outbox/" + key + "/retry",
                "{\"reason\":\"rating edge back after incident 12\"}");
        assertEquals(200, retry.status(), retry.body());
        Eventually.until(() -> "DELIVERED".equals(outboxStatus(key)), key + " delivered after the retry");
        assertTrue(fakes.ratedOnce().containsKey(key));
        assertEquals(409, client.operator("POST", "api/admin/outbox/" + key + "/retry", "{\"reason\":\"again\"}").status());
    }

    @Test
    void theLicenceServiceGetsALicencePerOrderAndPerSubscriptionRenewedOnItsRenewal() throws Exception {
        String tenant = Unique.id("tenant_lic_");
        String paymentIntent = payOrder(tenant, Unique.id("ord_"), 4900);
        jakarta.json.JsonObject shown = client.operator("GET", "api/admin/tenants/" + tenant, null).json();
        String orderLicence = shown.getJsonArray("licences").getJsonObject(0).getString("key");
        Eventually.until(() -> fakes.licences().containsKey(orderLicence), "licence " + orderLicence + " created");
        assertTrue(fakes.licences().get(orderLicence).contains("\"valid_until\":null"), fakes.licences().get(orderLicence));
        assertTrue(paymentIntent.startsWith("pi_IT_"));

        // A subscription started and renewed: acme's first and renewal invoices, for a tenant of this test, whose
        // customer has an address of its own. Then the customer changes its address.
        String subscription = Unique.id("sub_IT_");
        String email = tenant + "@billing.example";
        String changedEmail = "finance." + email;
        for (String fixture : List.of("acme/05_invoice.paid.subscription_create.json",
                "acme/27_invoice.paid.subscription_cycle.json", "acme/14_customer.updated.json")) {
            String eventId = Unique.id("evt_lic_");
            String body = new String(StripeFixtures.get(fixture).withEventId(eventId).body(), StandardCharsets.UTF_8)
                    .replace("tenant_acme", tenant).replace("sub_TEST1", subscription)
                    .replace("cus_TEST1", "cus_" + tenant).replace("in_TEST1_SUB", "in_" + subscription)
                    .replace("billing@acme.example", email).replace("finance@acme.example", changedEmail);
            assertEquals(200, client.postSigned(body.getBytes(StandardCharsets.UTF_8)).status());
            client.awaitStatus(eventId, "PROCESSED");
        }
        String subscriptionLicence = new io.billing.entitlement.LicenceKeys(
                environment.licenceKeySecret.getBytes(StandardCharsets.UTF_8)).hmac(tenant, subscription, "prod_PRO");
        String renewedUntil = java.time.Instant.ofEpochSecond(1791036151L).plus(java.time.Duration.ofDays(3)).toString();
        Eventually.until(() -> fakes.licences().getOrDefault(subscriptionLicence, "").contains(renewedUntil),
                "licence " + subscriptionLicence + " renewed until " + renewedUntil);

        // The licence belongs to the customer's user, created by its address; the new address updates that user.
        String createdBy = fakes.licenceCall("licence-create:" + subscriptionLicence);
        String userId = com.google.gson.JsonParser.parseString(createdBy).getAsJsonObject().get("user_id").getAsString();
        Eventually.until(() -> changedEmail.equals(fakes.licenceUsers().get(userId)), "user " + userId + " now " + changedEmail);
        assertEquals(1, fakes.licenceUsers().values().stream().filter(e -> e.endsWith(email)).count(),
                "one user for the customer: " + fakes.licenceUsers());
        jakarta.json.JsonObject user = client.operator("GET", "api/admin/tenants/" + tenant, null).json()
                .getJsonArray("licence_users").getJsonObject(0);
        assertEquals("cus_" + tenant, user.getString("customer_id"));
        assertEquals(userId, user.getString("user_id"));
        assertEquals(changedEmail, user.getString("email"));
    }

    @Test
    void aTenantsCallbackIsToldOfEachEntitlementChangeSignedWithItsSecret() throws Exception {
        String tenant = Unique.id("tenant_cb_");
        WebhookClient.Answer registered = client.operator("PUT", "api/admin/tenants/" + tenant + "/callback",
                "{\"url\":\"" + fakes.callbackUrl(tenant) + "\",\"reason\":\"tenant onboarding\"}");
        assertEquals(200, registered.status(), registered.body());
        String secret = registered.json().getString("secret");
        WebhookClient.Answer shown = client.operator("GET", "api/admin/tenants/" + tenant + "/callback", null);
        assertTrue(!shown.body().contains(secret), "the secret is shown once: " + shown.body());
        assertEquals(400, client.operator("PUT", "api/admin/tenants/" + tenant + "/callback",
                "{\"url\":\"ftp://example.com/x\"}").status());

        // A trial starts: the tenant may now use its plan's features.
        String subscription = trialStarts(tenant);
        Eventually.until(() -> fakes.callbackCalls(tenant).size() == 1, "the callback told of the trial");
        ConnectorFakes.CallbackCall call = fakes.callbackCalls(tenant).get(0);
        String[] parts = call.signature().split(",");
        String timestamp = parts[0].substring("t=".length());
        assertEquals(com.stripe.net.Webhook.Util.computeHmacSha256(secret, timestamp + "." + call.body()),
                parts[1].substring("v1=".length()), "signed with the tenant's secret over timestamp and body");
        JsonObject told = JsonParser.parseString(call.body()).getAsJsonObject();
        assertEquals("entitlements.changed", told.get("type").getAsString());
        assertEquals(2, told.getAsJsonArray("features").size(), call.body());

        // The same snapshot again under another event id: nothing changed, so the tenant hears nothing.
        String again = Unique.id("evt_cb_");
        assertEquals(200, client.postSigned(subscription.replaceFirst("\"id\": \"evt_[A-Za-z0-9_]+\"",
                "\"id\": \"" + again + "\"").getBytes(StandardCharsets.UTF_8)).status());
        Eventually.until(() -> "DELIVERED".equals(outboxStatus("callback:" + again)), "the second callback message settled");
        assertEquals(1, fakes.callbackCalls(tenant).size());
        assertEquals(204, client.operator("DELETE", "api/admin/tenants/" + tenant + "/callback?reason=offboarded", null)
                .status());
    }

    @Test
    void aCallbackIsNeverRedirectedAndItsFailuresAreToldByTheirKindOnly() throws Exception {
        String moved = Unique.id("tenant_moved_");
        assertEquals(200, client.operator("PUT", "api/admin/tenants/" + moved + "/callback",
                "{\"url\":\"" + fakes.redirectingCallbackUrl(moved) + "\",\"reason\":\"onboarding\"}").status());
        String first = eventId(trialStarts(moved));
        Eventually.until(() -> "FAILED".equals(outboxStatus("callback:" + first)), "the redirected callback failed");
        JsonObject message = JsonParser.parseString(client.operator("GET", "api/admin/outbox/callback:" + first, null)
                .body()).getAsJsonObject();
        assertTrue(message.get("status_reason").getAsString().contains("HTTP 302 from the callback of " + moved
                + ": redirects are not followed"), message.toString());
        assertEquals(1, fakes.redirectCalls(moved), "a redirect is final: not retried");
        assertEquals(List.of(), fakes.callbackCalls(moved), "and not followed");

        String gone = Unique.id("tenant_gone_");
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertEquals(200, client.operator("PUT", "api/admin/tenants/" + gone + "/callback",
                "{\"url\":\"http://127.0.0.1:" + closedPort + "/hook\",\"reason\":\"onboarding\"}").status());
        String second = eventId(trialStarts(gone));
        Eventually.until(() -> "FAILED".equals(outboxStatus("callback:" + second)), "the unreachable callback failed");
        JsonObject unreachable = JsonParser.parseString(client.operator("GET", "api/admin/outbox/callback:" + second,
                null).body()).getAsJsonObject();
        String reason = unreachable.get("status_reason").getAsString();
        assertTrue(reason.contains("the callback of " + gone + " unreachable: connection refused"), reason);
        assertFalse(reason.contains(Integer.toString(closedPort)) || reason.contains("Exception:"),
                "the kind of failure, not the connection error's text: " + reason);
    }

    /** A trial of the globex plan starts for the tenant; the event's body as posted. */
    private String trialStarts(String tenant) {
        long trialEnd = WebhookClient.now() + 10 * 86400;
        String subscription = new String(StripeFixtures.get("globex/02_customer.subscription.created.json").body(),
                StandardCharsets.UTF_8).replace("1787043977", Long.toString(trialEnd))
                .replace("tenant_globex", tenant).replace("cus_TEST2", "cus_" + tenant).replace("sub_TEST2", "sub_" + tenant)
                .replaceFirst("\"id\": \"evt_[A-Za-z0-9_]+\"", "\"id\": \"" + Unique.id("evt_cb_") + "\"");
        assertEquals(200, client.postSigned(subscription.getBytes(StandardCharsets.UTF_8)).status());
        return subscription;
    }

    private static String eventId(String body) {
        return JsonParser.parseString(body).getAsJsonObject().get("id").getAsString();
    }

    @Test
    void paidOrdersAreCheckedAgainstTheStoreAndExceptionsAreRetriedOrResolved() throws Exception {
        String tenant = Unique.id("tenant_store_");
        String matchedOrder = Unique.id("ord_");
        fakes.putOrder(matchedOrder, "{\"order_id\":\"" + matchedOrder + "\",\"store_id\":\"store_eu\",\"status\":\"paid\","
                + "\"currency\":\"usd\",\"total\":\"49.00\",\"lines\":[{\"sku\":\"PRO-1Y\",\"quantity\":1,\"amount\":\"49.00\"}]}");
        String matched = "payment:" + payOrder(tenant, matchedOrder, 4900);
        Eventually.until(() -> "MATCHED".equals(storeCheck(matched)), matched + " matched");

        String missingOrder = Unique.id("ord_");
        String missing = "payment:" + payOrder(tenant, missingOrder, 4900);
        Eventually.until(() -> "ORDER_NOT_FOUND".equals(storeCheck(missing)), missing + " not found");
        String exceptions = client.operator("GET", "api/admin/reconciliation/exceptions", null).body();
        assertTrue(exceptions.contains(missing) && !exceptions.contains(matched), exceptions);

        fakes.putOrder(missingOrder, "{\"order_id\":\"" + missingOrder + "\",\"currency\":\"USD\",\"total\":49}");
        assertEquals(200, client.operator("POST", "api/admin/reconciliation/" + missing + "/retry",
                "{\"reason\":\"store imported the order late\"}").status());
        Eventually.until(() -> "MATCHED".equals(storeCheck(missing)), missing + " matched after the retry");

        String wrongOrder = Unique.id("ord_");
        fakes.putOrder(wrongOrder, "{\"order_id\":\"" + wrongOrder + "\",\"currency\":\"USD\",\"total\":\"59.00\"}");
        String wrong = "payment:" + payOrder(tenant, wrongOrder, 4900);
        Eventually.until(() -> "AMOUNT_MISMATCH".equals(storeCheck(wrong)), wrong + " mismatched");
        assertEquals(400, client.operator("POST", "api/admin/reconciliation/" + wrong + "/resolve", "{}").status());
        assertEquals(200, client.operator("POST", "api/admin/reconciliation/" + wrong + "/resolve",
                "{\"reason\":\"10.00 discount given in the store, confirmed with finance\"}").status());
        assertEquals("RESOLVED", storeCheck(wrong));
        assertTrue(!client.operator("GET", "api/admin/reconciliation/exceptions", null).body().contains(wrong));
    }
}
