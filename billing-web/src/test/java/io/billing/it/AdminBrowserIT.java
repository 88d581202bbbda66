package io.billing.it;

import io.billing.testsupport.StripeFixtures;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin in a real browser (headless Chromium from Debian) against the deployed service: login,
 * payment trace, a failed event retried, an unmapped customer mapped, a mapping change in the audit log,
 * support refused what only admins may do, a password an admin set changed by its owner before anything else, a
 * disabled account's session ended, and every page behind the login. Nothing the pages need is refused by their
 * Content-Security-Policy. Screenshots of the main pages
 * go to {@code target/screenshots/}; the payment trace's also to the README's picture, {@code docs/images/}.
 */
@ExtendWith(ArquillianExtension.class)
class AdminBrowserIT {

    private static final String SUPPORT_USER = "sam.support";
    private static final String SUPPORT_PASSWORD = "support-password-" + UUID.randomUUID();
    private static final String SUPPORT_OWN_PASSWORD = "support-own-" + UUID.randomUUID();

    @RegisterExtension
    static final AdminSession ADMIN = new AdminSession();

    private final WebhookClient client = new WebhookClient();
    private final TestEnvironment environment = TestEnvironment.get();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.billingWar();
    }

    private AdminBrowser admin() {
        return ADMIN.browser();
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @Test
    void everyAdminPageSendsAnUnauthenticatedBrowserToTheLoginPage() {
        try (AdminBrowser anonymous = new AdminBrowser(environment.baseUri().toString())) {
            for (String page : List.of("/admin/", "/admin/index.xhtml", "/admin/events.xhtml", "/admin/event.xhtml?id=evt_x",
                    "/admin/trace.xhtml?q=in_TEST1_SUB0001", "/admin/mappings.xhtml", "/admin/audit.xhtml",
                    "/admin/manage/staff.xhtml", "/admin/failures.xhtml", "/admin/tenant.xhtml?id=tenant_acme",
                    "/admin/catalogue.xhtml", "/admin/manage/api-keys.xhtml")) {
                anonymous.open(page);
                assertTrue(anonymous.currentPath().startsWith("/login.xhtml"), page + " showed " + anonymous.currentPath());
                assertTrue(anonymous.present("login:username"));
            }
            anonymous.screenshot("login");
        }
    }

    @Test
    void theAcmePaymentTraceIsFoundByAnInvoiceId() throws Exception {
        String eventId = StripeFixtures.get("acme/05_invoice.paid.subscription_create.json").eventId();
        client.postSigned(StripeFixtures.get("acme/05_invoice.paid.subscription_create.json").body());
        client.awaitStatus(eventId, "PROCESSED");

        AdminBrowser browser = admin();
        browser.open("/admin/index.xhtml");
        assertTrue(browser.text().contains("Webhook intake:"), browser.text());
        assertFalse(browser.all(By.className("hour")).isEmpty(), "the last day's chart has bars");
        browser.screenshot("dashboard");
        browser.open("/admin/trace.xhtml");
        browser.type("q", "in_TEST1_SUB0001");
        browser.click("trace-go");
        String page = browser.text();
        assertTrue(page.contains(eventId), page);
        assertTrue(page.contains("invoice:in_TEST1_SUB0001"), page);
        assertTrue(page.contains("invoice_paid:in_TEST1_SUB0001"), "the ledger posting: " + page);
        assertEquals(List.of("test"), browser.all(By.className("mode")).stream().map(WebElement::getText).toList(),
                "the payment's mode");
        List<String> history = browser.all(By.className("state")).stream().map(WebElement::getText).toList();
        assertTrue(history.containsAll(List.of("CREATED", "PAID")), "the payment's history: " + history);
        assertTrue(page.contains("invoice ACMETEST-0001"), "what the customer calls it: " + page);
        browser.screenshot("trace", "admin-payment-trace");
        assertEquals(List.of(), browser.refusedByPolicy(), "the dashboard and the trace run under their policy");

        // The same payment from its invoice number, as a customer would quote it.
        browser.open("/admin/trace.xhtml?q=ACMETEST-0001");
        assertTrue(browser.text().contains("invoice:in_TEST1_SUB0001"), browser.text());
        assertTrue(browser.text().contains("(invoice_number)"), browser.text());

        browser.open("/admin/tenant.xhtml?id=tenant_acme");
        String tenant = browser.text();
        assertTrue(tenant.contains("Ledger balances") && tenant.contains("RECEIVABLES"), tenant);
        assertTrue(browser.present("ledger-csv"));
        browser.screenshot("tenant");
    }

    @Test
    void aFailedEventShowsItsAttemptsAndIsProcessedAfterARetry() throws Exception {
        String eventId = seedFailedEvent();
        AdminBrowser browser = admin();
        browser.open("/admin/events.xhtml?status=FAILED");
        assertTrue(browser.text().contains(eventId), browser.text());
        browser.screenshot("events");
        browser.open("/admin/events.xhtml?dir=asc");
        assertTrue(browser.text().contains("Created ▲"), "sorted oldest first: " + browser.text());
        browser.open("/admin/failures.xhtml");
        assertTrue(browser.text().contains(eventId), "listed with the failures: " + browser.text());
        browser.screenshot("failures");
        browser.open("/admin/event.xhtml?id=" + eventId);
        assertEquals("FAILED", browser.byId("event-status").getText());
        assertTrue(browser.text().contains("SocketTimeoutException"), "the attempt's error: " + browser.text());
        WebElement stack = browser.all(By.cssSelector("details.stack-trace")).get(0);
        assertEquals("java.net.SocketTimeoutException: Read timed out", stack.findElement(By.tagName("summary")).getText(),
                "the stack trace's first line shows");
        assertFalse(stack.findElement(By.tagName("pre")).isDisplayed(), "the rest is folded");
        browser.type("actions:reason", "database timeout is fixed");
        browser.click("actions:retry");
        assertEquals("/admin/event.xhtml?id=" + eventId, browser.currentPath(), "the event keeps its address");
        assertTrue(browser.text().contains("Event " + eventId + " is queued again."), browser.text());
        for (int i = 0; i < 100 && !"PROCESSED".equals(browser.byId("event-status").getText()); i++) {
            TimeUnit.MILLISECONDS.sleep(200);
            browser.open("/admin/event.xhtml?id=" + eventId);
        }
        assertEquals("PROCESSED", browser.byId("event-status").getText());
        assertTrue(browser.all(By.className("attempt-outcome")).stream().anyMatch(e -> e.getText().equals("PROCESSED")));
        assertFalse(browser.present("actions:retry"), "nothing to retry or resolve on a processed event");
        browser.screenshot("event");
        assertEquals(List.of(), browser.refusedByPolicy(), "the events, failures and event pages run under their policy");
    }

    @Test
    void mappingAnUnmappedCustomerResolvesItsEventsAndTheChangeIsAudited() throws Exception {
        String customer = unique("cus_BROWSER_");
        String eventId = unique("evt_browser_");
        String body = new String(StripeFixtures.get("globex/01_customer.created.json").withEventId(eventId).body(),
                StandardCharsets.UTF_8).replace("cus_TEST2", customer).replace("\"tenant_id\": \"tenant_globex\"", "\"note\": \"x\"");
        assertEquals(200, client.postSigned(body.getBytes(StandardCharsets.UTF_8)).status());
        client.awaitStatus(eventId, "UNMAPPED");

        AdminBrowser browser = admin();
        browser.open("/admin/mappings.xhtml");
        assertTrue(browser.text().contains(customer), "parked, with its customer: " + browser.text());
        String tenant = unique("tenant_browser_");
        browser.type("mapping:customer", customer);
        browser.type("mapping:tenant", tenant);
        browser.click("mapping:save");
        assertTrue(browser.text().contains("A mapping change needs a reason"), "no reason, no change: " + browser.text());
        assertFalse(browser.present("mapping:confirm"));
        browser.type("mapping:reason", "ticket 77: new tenant onboarded by hand");
        browser.click("mapping:save");
        assertEquals("1", browser.byId("confirm-requeue").getText(), "what the mapping will queue, before it does");
        assertTrue(browser.present("confirm-new-tenant"), "a tenant the service does not know is created only when "
                + "confirmed: " + browser.text());
        assertEquals("UNMAPPED", client.operator("GET", "api/admin/events/" + eventId, null).json()
                .getJsonObject("summary").getString("status"), "nothing changed before the confirmation");
        browser.click("mapping:confirm");
        assertTrue(browser.text().contains("1 parked event(s) queued again"), browser.text());
        browser.screenshot("mappings");
        assertEquals(tenant, client.awaitStatus(eventId, "PROCESSED").getString("tenant_id"));
        browser.open("/admin/event.xhtml?id=" + eventId);
        assertTrue(browser.text().contains("tenant " + tenant + " from the mapping of customer " + customer),
                "the tenant it resolved to, and why: " + browser.text());

        // Edit the mapping, then find the change in the audit log.
        browser.open("/admin/mappings.xhtml");
        String other = unique("tenant_moved_");
        browser.type("mapping:customer", customer);
        browser.type("mapping:tenant", other);
        browser.type("mapping:reason", "customer moved to its parent account");
        browser.click("mapping:save");
        browser.click("mapping:confirm");
        browser.open("/admin/audit.xhtml?term=" + customer);
        String audit = browser.text();
        assertTrue(audit.contains("customer moved to its parent account") && audit.contains(other) && audit.contains(tenant),
                audit);
        browser.screenshot("audit");
    }

    @Test
    void anAdminEditsThePlanCatalogueAndTheChangeIsAudited() {
        String product = unique("prod_BROWSER_");
        AdminBrowser browser = admin();
        browser.open("/admin/catalogue.xhtml");
        browser.type("catalogue-edit:product", product);
        browser.type("catalogue-edit:features", "api_access, sso");
        browser.type("catalogue-edit:reason", "new enterprise bundle");
        browser.click("catalogue-edit:save");
        assertTrue(browser.text().contains(product + " now grants api_access, sso."), browser.text());
        assertEquals(List.of(), browser.refusedByPolicy(), "the catalogue's editor runs under its policy");
        assertTrue(browser.all(By.className("catalogue-product")).stream().anyMatch(e -> e.getText().equals(product)));
        browser.screenshot("catalogue");
        browser.open("/admin/audit.xhtml?term=" + product);
        assertTrue(browser.text().contains("SET_PLAN_FEATURES") && browser.text().contains("new enterprise bundle"),
                browser.text());
    }

    @Test
    void anAdminCreatesAnApiKeySeesItsSecretOnceAndRevokesIt() {
        AdminBrowser browser = admin();
        browser.open("/admin/manage/api-keys.xhtml");
        assertTrue(browser.present("legacy"), "the legacy token is configured in this run, and the page says so");
        String name = unique("saas-browser-");
        browser.type("apikeys:name", name);
        browser.type("apikeys:reason", "new SaaS release");
        browser.click("apikeys:create");
        String secret = browser.byId("created-secret").getText().trim();
        assertTrue(secret.startsWith("ak_"), browser.text());
        browser.screenshot("api-keys");
        String keyId = secret.substring(0, "ak_".length() + 16);
        assertEquals(200, client.getWithToken("api/tenants/tenant_browser/entitlements", secret).status(),
                "the new key works, with the scopes the form proposes");

        browser.open("/admin/manage/api-keys.xhtml");
        assertTrue(browser.text().contains(keyId) && browser.text().contains(name), browser.text());
        assertFalse(browser.text().contains(secret.substring(keyId.length() + 1)), "the secret is shown once only");
        assertFalse(browser.present("created-secret"));
        List<org.openqa.selenium.WebElement> ids = browser.all(By.className("api-key-id"));
        int row = ids.stream().map(org.openqa.selenium.WebElement::getText).toList().indexOf(keyId);
        browser.click("apikeys:keys:" + row + ":revoke");
        assertTrue(browser.text().contains("API key " + keyId + " is revoked"), browser.text());
        assertEquals(401, client.getWithToken("api/tenants/tenant_browser/entitlements", secret).status());
        browser.open("/admin/audit.xhtml?term=" + keyId);
        assertTrue(browser.text().contains("CREATE_API_KEY") && browser.text().contains("REVOKE_API_KEY"), browser.text());
    }

    @Test
    void aSupportAccountChangesTheAdminsPasswordFirstMayLookButIsRefusedARetryAndEndsWhenDisabled() throws Exception {
        AdminBrowser browser = admin();
        browser.open("/admin/manage/staff.xhtml");
        if (!browser.text().contains(SUPPORT_USER)) {
            browser.type("staff:username", SUPPORT_USER);
            browser.type("staff:password", SUPPORT_PASSWORD);
            browser.type("staff:reason", "new support colleague");
            browser.click("staff:create");
            assertTrue(browser.text().contains("Account " + SUPPORT_USER + " (support) created;"), browser.text());
        }
        browser.screenshot("staff");

        String eventId = seedFailedEvent();
        try (AdminBrowser support = new AdminBrowser(environment.baseUri().toString())) {
            // The password an admin chose opens nothing but the password page until its owner chose their own.
            support.logIn(SUPPORT_USER, SUPPORT_PASSWORD);
            assertTrue(support.currentPath().startsWith("/admin/password.xhtml"), support.currentPath());
            assertTrue(support.present("required-notice"));
            support.open("/admin/event.xhtml?id=" + eventId);
            assertTrue(support.currentPath().startsWith("/admin/password.xhtml"), support.currentPath());
            WebhookClient.Answer beforeChange = client.operator("GET", "api/admin/events/" + eventId, null, SUPPORT_USER,
                    SUPPORT_PASSWORD);
            assertEquals(403, beforeChange.status(), beforeChange.body());
            assertEquals("password_change_required", beforeChange.error());
            support.screenshot("password");
            support.changePassword(SUPPORT_PASSWORD, SUPPORT_OWN_PASSWORD);
            assertTrue(support.currentPath().startsWith("/admin/index.xhtml"), support.currentPath());
            assertTrue(support.text().contains("Your password is changed."), support.text());

            support.open("/admin/event.xhtml?id=" + eventId);
            assertEquals("FAILED", support.byId("event-status").getText());
            assertFalse(support.present("actions:retry"), "support sees no retry button");
            assertFalse(support.present("nav-staff"));
            support.open("/admin/manage/staff.xhtml");
            assertTrue(support.text().contains("403") || support.text().toLowerCase().contains("forbidden"), support.text());
            assertTrue(support.text().contains("Billing admin"), "the admin's own page, not the server's: " + support.text());
            assertEquals(List.of(), support.refusedByPolicy());

            // Disabled by an admin: the session open in the support's browser ends at its next request.
            browser.open("/admin/manage/staff.xhtml");
            browser.type("staff:reason", "left the support team");
            browser.click(By.xpath("//tr[td[normalize-space()='" + SUPPORT_USER + "']]//button"));
            assertTrue(browser.text().contains("Account " + SUPPORT_USER + " disabled."), browser.text());
            support.open("/admin/index.xhtml");
            assertTrue(support.currentPath().startsWith("/login.xhtml"), support.currentPath());
            browser.open("/admin/manage/staff.xhtml");
            browser.type("staff:reason", "back in the support team");
            browser.click(By.xpath("//tr[td[normalize-space()='" + SUPPORT_USER + "']]//button"));
            assertTrue(browser.text().contains("Account " + SUPPORT_USER + " enabled."), browser.text());
        }
        // A forged POST with the support account's credentials is refused, and changes nothing.
        WebhookClient.Answer forged = client.operator("POST", "api/admin/events/" + eventId + "/retry",
                "{\"reason\":\"forged\"}", SUPPORT_USER, SUPPORT_OWN_PASSWORD);
        assertEquals(403, forged.status(), forged.body());
        assertEquals("forbidden", forged.error(), "the API's own JSON, not the server's page");
        assertEquals(200, client.operator("GET", "api/admin/events/" + eventId, null, SUPPORT_USER, SUPPORT_OWN_PASSWORD)
                .status(), "support may read");
        assertEquals("FAILED", client.operator("GET", "api/admin/events/" + eventId, null).json()
                .getJsonObject("summary").getString("status"));
    }

    @Test
    void failingEventsShowGroupedByCauseBeforeTheyAreDeadAndAGroupIsRetriedAfterItsPreview() throws Exception {
        // Two events that failed twice with the same error and wait for their third attempt tomorrow.
        String cause = "IllegalStateException: the rating edge answered teapot for tenant ";
        List<String> failing = List.of(seedFailingEvent(cause + "cus_FAIL1"), seedFailingEvent(cause + "cus_FAIL2"));
        AdminBrowser browser = admin();
        browser.open("/admin/index.xhtml");
        assertTrue(browser.byId("to-failures").getText().matches("\\d+ failing event\\(s\\) need attention: [1-9]\\d* retrying.*"),
                browser.byId("to-failures").getText());
        browser.open("/admin/failures.xhtml");
        String row = browser.all(By.xpath("//tr[contains(., 'teapot')]")).get(0).getText();
        assertTrue(row.contains("2 event(s): 2 retrying"), row);
        assertTrue(row.contains("answered teapot for tenant …"), "one cause whatever the customer: " + row);
        browser.screenshot("failures-grouped");

        browser.type("failures:reason", "rating edge fixed");
        browser.click(browser.all(By.xpath("//tr[contains(., 'teapot')]//button[@id]")).get(0).getAttribute("id"));
        assertEquals("2", browser.byId("retry-preview-count").getText(), "the preview counts the group");
        for (String eventId : failing) {
            jakarta.json.JsonObject summary = client.operator("GET", "api/admin/events/" + eventId, null).json()
                    .getJsonObject("summary");
            assertEquals("RETRY_SCHEDULED " + cause, summary.getString("status") + " "
                    + summary.getString("status_reason").substring(0, cause.length()), "nothing queued before the confirmation");
        }
        browser.click("failures:retry-confirm");
        assertTrue(browser.text().contains("2 event(s) of customer.created queued again."), browser.text());
        for (String eventId : failing) {
            client.awaitStatus(eventId, "PROCESSED");
        }
        assertTrue(browser.all(By.xpath("//tr[contains(., 'teapot')]")).isEmpty(), browser.text());
    }

    private String seedFailingEvent(String reason) throws Exception {
        return SeededEvents.failing(environment, reason);
    }

    private String seedFailedEvent() throws Exception {
        return SeededEvents.failed(environment);
    }
}
