package io.billing.it;

import io.billing.testsupport.StripeFixtures;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine inside Payara Micro, seen through the operator API: events posted to the webhook are
 * processed by the container's workers, parked ones are re-queued by a mapping, and every manual action
 * is authenticated, checked and audited.
 */
@ExtendWith(ArquillianExtension.class)
class OperatorApiIT {

    private static final String PAYMENT_LINK_SESSION = "cs_test_a1PLINKunmappedtk7f5Y9WA3b48ZCKZup7u0z2UR5viBPkalz82N";

    private final WebhookClient client = new WebhookClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.billingWar();
    }

    @Test
    void refusesCallersWithoutTheAdminPassword() {
        WebhookClient.Answer anonymous = client.operator("GET", "api/admin/events", null, null, null);
        assertEquals(401, anonymous.status());
        WebhookClient.Answer wrong = client.operator("GET", "api/admin/events", null, "admin", "not-the-password");
        assertEquals(401, wrong.status());
        WebhookClient.Answer stranger = client.operator("GET", "api/admin/events", null, "mallory",
                TestEnvironment.get().adminPassword);
        assertEquals(401, stranger.status());
        assertEquals(200, client.operator("GET", "api/admin/events", null, "admin", TestEnvironment.get().adminPassword)
                .status());
    }

    @Test
    void aParkedEventIsProcessedOnceItsCustomerIsMappedAndTheWholeStoryIsVisible() throws Exception {
        String customer = "cus_IT_" + UUID.randomUUID().toString().substring(0, 8);
        String eventId = "evt_it_" + UUID.randomUUID().toString().replace("-", "");
        byte[] body = withCustomer(StripeFixtures.get("unmapped/01_invoice.paid.no_tenant_metadata.json")
                .withEventId(eventId).body(), customer);
        assertEquals(200, client.postSigned(body).status());

        JsonObject parked = client.awaitStatus(eventId, "UNMAPPED");
        assertEquals("no tenant metadata and no mapping for customer " + customer, parked.getString("status_reason"));

        WebhookClient.Answer mapped = client.operator("PUT", "api/admin/mappings/customers/" + customer,
                "{\"tenant_id\":\"tenant_initech\",\"reason\":\"signed up through sales\"}");
        assertEquals(200, mapped.status(), mapped.body());
        assertEquals(1, mapped.json().getInt("requeued"));

        JsonObject processed = client.awaitStatus(eventId, "PROCESSED");
        assertEquals("tenant_initech", processed.getString("tenant_id"));
        JsonObject detail = client.operator("GET", "api/admin/events/" + eventId, null).json();
        assertEquals(2, detail.getJsonArray("attempts").size(), detail.toString());
        assertEquals("UNMAPPED", detail.getJsonArray("attempts").getJsonObject(0).getString("outcome"));
        assertEquals("PROCESSED", detail.getJsonArray("attempts").getJsonObject(1).getString("outcome"));
        assertTrue(detail.getString("payload").contains(customer), "the body as Stripe sent it");

        JsonObject page = client.operator("GET", "api/admin/events?tenant=tenant_initech&status=processed", null).json();
        assertEquals(1, page.getInt("total"), page.toString());
        assertEquals(eventId, page.getJsonArray("events").getJsonObject(0).getString("event_id"));

        WebhookClient.Answer notNow = client.operator("POST", "api/admin/events/" + eventId + "/resolve",
                "{\"reason\":\"done already\"}");
        assertEquals(409, notNow.status(), notNow.body());
        assertEquals("invalid_status", notNow.error());

        WebhookClient.Answer rerun = client.operator("POST", "api/admin/events/" + eventId + "/retry", "{}");
        assertEquals(409, rerun.status(), "a processed event is re-run by type, not retried");
        WebhookClient.Answer rerunByType = client.operator("POST", "api/admin/events/rerun",
                "{\"type\":\"invoice.paid\",\"since\":\"2026-01-01T00:00:00Z\",\"reason\":\"handler fix\"}");
        assertEquals(200, rerunByType.status(), rerunByType.body());
        assertTrue(rerunByType.json().getInt("requeued") >= 1);
        client.awaitStatus(eventId, "PROCESSED");
    }

    @Test
    void resolvingByHandIsAuditedUnderTheCallersName() throws Exception {
        String eventId = "evt_it_" + UUID.randomUUID().toString().replace("-", "");
        byte[] body = StripeFixtures.get("unmapped/02_checkout.session.completed.payment_link_no_metadata.json")
                .withEventId(eventId).body();
        assertEquals(200, client.postSigned(body).status());
        client.awaitStatus(eventId, "UNMAPPED");

        WebhookClient.Answer noReason = client.operator("POST", "api/admin/events/" + eventId + "/resolve", "{}");
        assertEquals(400, noReason.status());
        assertEquals("invalid_request", noReason.error());
        WebhookClient.Answer resolved = client.operator("POST", "api/admin/events/" + eventId + "/resolve",
                "{\"reason\":\"test purchase by our own staff\"}");
        assertEquals(200, resolved.status(), resolved.body());

        JsonObject detail = client.operator("GET", "api/admin/events/" + eventId, null).json();
        assertEquals("RESOLVED", detail.getJsonObject("summary").getString("status"));
        JsonObject action = detail.getJsonArray("actions").getJsonObject(0);
        assertEquals("admin", action.getString("actor"));
        assertEquals("RESOLVE", action.getString("action"));
        assertEquals("test purchase by our own staff", action.getString("reason"));
    }

    @Test
    void aTenantsSubscriptionsAndLedgerAreReadableForFinance() throws Exception {
        // The globex story's customer, subscription and paid invoice, under fresh event ids (other tests
        // post the same facts; the ledger posts each fact once, so the figures below hold either way).
        String[] names = {"globex/01_customer.created.json", "globex/02_customer.subscription.created.json",
                "globex/05_invoice.paid.subscription_cycle.json"};
        String lastEvent = null;
        for (String name : names) {
            lastEvent = "evt_it_" + UUID.randomUUID().toString().replace("-", "");
            assertEquals(200, client.postSigned(StripeFixtures.get(name).withEventId(lastEvent).body()).status());
        }
        client.awaitStatus(lastEvent, "PROCESSED");

        JsonObject tenant = client.operator("GET", "api/admin/tenants/tenant_globex", null).json();
        assertEquals("cus_TEST2", tenant.getJsonArray("mappings").getJsonObject(0).getString("customer_id"));
        JsonObject subscription = tenant.getJsonArray("subscriptions").getJsonObject(0);
        assertEquals("sub_TEST2", subscription.getString("subscription_id"));
        assertEquals("price_PRO_MONTHLY", subscription.getJsonArray("items").getJsonObject(0).getString("price_id"));
        JsonObject licence = tenant.getJsonArray("licences").getJsonObject(0);
        assertEquals("sub_TEST2", licence.getString("subscription_id"));
        assertEquals("EXPIRED", licence.getString("status"), "the globex trial of August 2026 is over");
        assertTrue(licence.getString("key").startsWith("LIC-"));

        JsonObject ledger = client.operator("GET", "api/admin/tenants/tenant_globex/ledger", null).json();
        assertTrue(ledger.getJsonArray("balances").stream().map(JsonObject.class::cast).anyMatch(b ->
                b.getString("account").equals("REVENUE")
                        && b.getJsonObject("balance").getString("amount").equals("29.00")
                        && b.getJsonObject("balance").getInt("minor_units") == 2900), ledger.toString());
        assertEquals("0.00", ledger.getJsonArray("trial_balance").getJsonObject(0).getString("amount"));
        assertEquals(2, ledger.getInt("total"), "issued and paid: two entries");

        WebhookClient.Answer csv = client.operator("GET", "api/admin/tenants/tenant_globex/ledger.csv", null);
        assertEquals(200, csv.status());
        assertTrue(csv.body().startsWith("entry_id,posted_at,business_key,source_event_id,currency,account,debit,credit\n"));
        assertTrue(csv.body().contains(",invoice_paid:in_TEST2_SUB0002,"), csv.body());
        assertTrue(csv.body().contains(",USD,STRIPE_BALANCE,29.00,0.00\n"), csv.body());

        assertEquals(404, client.operator("GET", "api/admin/tenants/tenant_nobody", null).status());

        JsonObject trace = client.operator("GET", "api/admin/trace/in_TEST2_SUB0002", null).json();
        assertEquals("object", trace.getString("resolved_as"));
        assertTrue(trace.getJsonArray("postings").stream().map(JsonObject.class::cast)
                .anyMatch(p -> p.getString("business_key").equals("invoice_paid:in_TEST2_SUB0002")
                        && p.getString("payment_key").equals("invoice:in_TEST2_SUB0002")), trace.toString());
        assertEquals(404, client.operator("GET", "api/admin/trace/in_nothing", null).status());

        // The same payment by its invoice number and by the customer's e-mail address, with its mode and history.
        JsonObject byNumber = client.operator("GET", "api/admin/trace/GLOBEXTS-0002", null).json();
        assertEquals("invoice_number", byNumber.getString("resolved_as"));
        JsonObject payment = byNumber.getJsonArray("payments").getJsonObject(0);
        assertEquals("invoice:in_TEST2_SUB0002", payment.getString("payment_key"));
        assertEquals("test", payment.getString("mode"));
        assertFalse(payment.containsKey("account_id"), "the platform's own payment: " + payment);
        assertEquals(List.of("CREATED", "PAID"), payment.getJsonArray("history").stream().map(JsonObject.class::cast)
                .map(h -> h.getString("state")).toList(), payment.toString());
        assertEquals("2026-08-18T10:06:26Z", payment.getJsonArray("history").getJsonObject(1).getString("reached_at"),
                "when Stripe says it was paid");
        JsonObject byEmail = client.operator("GET", "api/admin/trace/AP@globex.example", null).json();
        assertEquals("email", byEmail.getString("resolved_as"));
        assertTrue(byEmail.getJsonArray("payments").stream().map(JsonObject.class::cast)
                .anyMatch(p -> p.getString("payment_key").equals("invoice:in_TEST2_SUB0002")), byEmail.toString());

        JsonObject record = client.operator("GET", "api/admin/reconciliation/invoice:in_TEST2_SUB0002", null).json();
        assertEquals("tenant_globex", record.getString("tenant_id"));
        assertEquals("GLOBEXTS-0002", record.getString("invoice_number"));
        assertEquals(payment.getJsonArray("history"), record.getJsonArray("history"));
        WebhookClient.Answer unknown = client.operator("GET", "api/admin/reconciliation/invoice:in_nothing", null);
        assertEquals(404, unknown.status());
        assertEquals("payment_not_found", unknown.error());
    }

    @Test
    void assigningATenantByHandProcessesAParkedEvent() throws Exception {
        String eventId = "evt_it_" + UUID.randomUUID().toString().replace("-", "");
        String session = "cs_it_" + UUID.randomUUID().toString().replace("-", "");
        String body = new String(StripeFixtures.get("unmapped/02_checkout.session.completed.payment_link_no_metadata.json")
                .withEventId(eventId).body(), StandardCharsets.UTF_8).replace(PAYMENT_LINK_SESSION, session);
        assertEquals(200, client.postSigned(body.getBytes(StandardCharsets.UTF_8)).status());
        client.awaitStatus(eventId, "UNMAPPED");

        assertEquals(400, client.operator("POST", "api/admin/events/" + eventId + "/assign-tenant",
                "{\"tenant_id\":\"tenant_shop\"}").status(), "a reason is required");
        WebhookClient.Answer assigned = client.operator("POST", "api/admin/events/" + eventId + "/assign-tenant",
                "{\"tenant_id\":\"tenant_shop\",\"reason\":\"payment link of the shop's pop-up store\"}");
        assertEquals(200, assigned.status(), assigned.body());
        assertEquals(1, assigned.json().getInt("assigned"));
        assertEquals("tenant_shop", client.awaitStatus(eventId, "PROCESSED").getString("tenant_id"));
    }

    @Test
    void badFiltersAndUnknownEventsGetClearErrors() {
        WebhookClient.Answer badStatus = client.operator("GET", "api/admin/events?status=DONE", null);
        assertEquals(400, badStatus.status());
        assertTrue(badStatus.json().getString("message").contains("PROCESSED"), badStatus.body());
        assertEquals(400, client.operator("GET", "api/admin/events?from=yesterday", null).status());
        assertEquals(400, client.operator("GET", "api/admin/events?size=100000", null).status());
        WebhookClient.Answer unknown = client.operator("GET", "api/admin/events/evt_nope", null);
        assertEquals(404, unknown.status());
        assertEquals("event_not_found", unknown.error());
        assertEquals(404, client.operator("POST", "api/admin/events/evt_nope/retry", "{}").status());
        assertEquals("mapping_not_found", client.operator("GET", "api/admin/mappings/accounts/acct_nobody", null).error());
    }

    @Test
    void aConnectAccountCanBeMappedToATenant() {
        String account = "acct_it_" + UUID.randomUUID().toString().substring(0, 8);
        WebhookClient.Answer put = client.operator("PUT", "api/admin/mappings/accounts/" + account,
                "{\"tenant_id\":\"tenant_platform\",\"reason\":\"connected shop\"}");
        assertEquals(200, put.status(), put.body());
        assertEquals("tenant_platform", client.operator("GET", "api/admin/mappings/accounts/" + account, null)
                .json().getString("tenant_id"));
        assertEquals(204, client.operator("DELETE", "api/admin/mappings/accounts/" + account + "?reason=closed", null)
                .status());
        assertEquals(404, client.operator("GET", "api/admin/mappings/accounts/" + account, null).status());
        assertEquals(404, client.operator("DELETE", "api/admin/mappings/accounts/" + account, null).status());
    }

    private static byte[] withCustomer(byte[] body, String customer) {
        return new String(body, StandardCharsets.UTF_8).replace("cus_TEST3", customer).getBytes(StandardCharsets.UTF_8);
    }
}
