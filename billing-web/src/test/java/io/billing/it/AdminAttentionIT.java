package io.billing.it;

import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.StripeSigner;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What needs attention, as a person checks it in the browser: a badly signed delivery on the refused deliveries page
 * with its reason and the client's address and nothing of what was sent (and in the operator API); the dashboard's
 * figures in words and colour, each a link that opens the list it counts, its chart drawn with titled axes; no
 * misconfiguration banner on this service, which is set up right, and one naming the rating edge while it fails. The
 * dashboard and the refused deliveries page are photographed at 1400 and 1024 px into {@code target/screenshots/}.
 */
@ExtendWith(ArquillianExtension.class)
class AdminAttentionIT {

    private static final String EXACT_TIME = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC";
    private static final String RELATIVE_TIME = "(\\d+ (s|min|h|days) ago|in \\d+ (s|min|h|days))";
    /** A chart's title of each axis, its labels and its series, as Chart.js holds them once drawn; null before. */
    private static final String CHART = """
            var canvas = document.querySelector('#%s canvas');
            var chart = canvas && window.Chart && Chart.getChart(canvas);
            if (!chart || chart.width === 0) { return null; }
            return [chart.options.scales.x.title.text, chart.options.scales.y.title.text, String(chart.data.labels.length),
                chart.data.datasets.map(function (d) { return d.label; }).join('|')].join(';');""";

    @RegisterExtension
    static final AdminSession ADMIN = new AdminSession();

    private final WebhookClient client = new WebhookClient();
    private final TestEnvironment environment = TestEnvironment.get();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.billingWar();
    }

    private AdminBrowser admin() {
        return ADMIN.browser();
    }

    @Test
    void aBadlySignedDeliveryIsOnTheRefusedDeliveriesPageWithItsReasonAndAddressAndNothingItSent() throws Exception {
        // The tests are the service's trusted proxy: the client is the address they forward, one of the run's own.
        String address = "203.0.113." + ThreadLocalRandom.current().nextInt(1, 255);
        String marker = Unique.id("do_not_keep_");
        byte[] body = new String(StripeFixtures.get("acme/05_invoice.paid.subscription_create.json")
                .withFreshEventId("evt_refused_").body(), StandardCharsets.UTF_8)
                .replace("\"livemode\"", "\"" + marker + "\": true, \"livemode\"").getBytes(StandardCharsets.UTF_8);
        assertTrue(new String(body, StandardCharsets.UTF_8).contains(marker));
        String header = StripeSigner.header(body, WebhookClient.now(), "whsec_not_ours");
        String signature = header.substring(header.indexOf("v1=") + 3);
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(client.webhookUri())
                .timeout(Duration.ofSeconds(30)).header("Content-Type", WebhookClient.JSON)
                .header("Stripe-Signature", header).header("X-Forwarded-For", address)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("signature_mismatch"), refused.body());

        // Written a moment after the refusal; the operator API has it then.
        Eventually.until(() -> refusalsFrom(address).size() == 1, "the refusal from " + address + " in the operator API");
        JsonObject answer = refusalsFrom(address).get(0);
        assertEquals("signature_mismatch", answer.getString("reason"));
        assertTrue(answer.getString("description").contains("secret"), answer.toString());
        WebhookClient.Answer api = client.operator("GET", "api/admin/webhook/refusals?hours=24&limit=500", null);
        assertFalse(api.body().contains(marker) || api.body().contains(signature), "nothing sent is kept: " + api.body());
        assertTrue(api.json().getJsonNumber("refusals").longValue() >= 1);
        assertEquals(24, api.json().getJsonArray("per_hour").size(), "every hour of the last day");
        assertEquals(400, client.operator("GET", "api/admin/webhook/refusals?limit=0", null).status());
        try (Connection db = environment.openDatabase(); PreparedStatement query = db.prepareStatement(
                "SELECT refused_at, remote_address, reason, node_id FROM webhook_refusal WHERE remote_address = ?")) {
            query.setString(1, address);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next(), "written down");
                for (int column = 1; column <= 4; column++) {
                    String value = row.getString(column);
                    assertFalse(value.contains(marker) || value.contains(signature), value);
                }
            }
        }

        AdminBrowser browser = admin();
        browser.open("/admin/index.xhtml");
        assertTrue(browser.byId("to-refusals").getText().matches("[1-9]\\d* deliver(y|ies) refused in the last 24 hours"),
                browser.byId("to-refusals").getText());
        assertTrue(browser.byId("latest-refusal").getAttribute("title").matches(EXACT_TIME));
        browser.click("to-refusals");
        assertTrue(browser.currentPath().startsWith("/admin/refusals.xhtml"), browser.currentPath());
        WebElement row = browser.all(By.xpath("//tr[.//span[@class='remote-address' and text()='" + address + "']]"))
                .get(0);
        assertTrue(row.getText().contains("signature_mismatch"), row.getText());
        assertTrue(row.getText().contains("signed with a secret that is not configured here"), row.getText());
        WebElement when = row.findElement(By.className("refused-at"));
        assertTrue(when.getText().matches(RELATIVE_TIME), when.getText());
        assertTrue(when.getAttribute("title").matches(EXACT_TIME), when.getAttribute("title"));
        String page = browser.text();
        assertFalse(page.contains(marker) || page.contains(signature), "nothing sent is shown");
        assertTrue(browser.all(By.className("reason")).stream().anyMatch(r -> r.getText().contains("signature_mismatch")),
                "the day's reasons, in words");
        assertEquals("hour refused (UTC);refused deliveries;24;", chartOf(browser, "refusals-chart")
                .replaceAll("[^;]*$", ""), "the chart's axes and its 24 hours");
        assertTrue(chartOf(browser, "refusals-chart").contains("signature_mismatch"), "a stack per reason");
        assertEquals(List.of(), browser.refusedByPolicy(), "the chart runs under the page's policy");
        screenshots(browser, "/admin/refusals.xhtml", "refusals");
    }

    @Test
    void theDashboardsCountsAreInWordsAndEachOpensTheListItCounts() throws Exception {
        String dead = SeededEvents.failed(environment);
        SeededEvents.failing(environment, "IllegalStateException: the ledger is closed for tenant cus_ATTENTION");
        AdminBrowser browser = admin();
        browser.open("/admin/index.xhtml");

        WebElement failed = browser.byId("count-FAILED");
        assertEquals("a", failed.getTagName(), "the count is a link");
        assertTrue(Long.parseLong(failed.getText()) >= 1, failed.getText());
        WebElement figure = failed.findElement(By.xpath(".."));
        assertTrue(figure.getText().contains("failed for good (dead letter)"), "in words: " + figure.getText());
        assertTrue(figure.getAttribute("class").contains("tone-bad"), "in red: " + figure.getAttribute("class"));
        assertTrue(failed.getCssValue("color").contains("198, 40, 40"), "the count itself red: " + failed.getCssValue("color"));
        WebElement retrying = browser.byId("count-RETRY_SCHEDULED");
        assertTrue(retrying.findElement(By.xpath("..")).getText().contains("failed, waiting to retry"));
        assertTrue(retrying.getAttribute("class").contains("tone-warn"));
        String page = browser.text();
        for (String raw : List.of("RETRY_SCHEDULED", "FAILED", "UNMAPPED", "PROCESSED")) {
            assertFalse(page.contains(raw), "no status name shown as it is stored: " + raw + " in " + page);
        }
        assertTrue(browser.byId("last-received").getText().matches(RELATIVE_TIME), browser.byId("last-received").getText());
        assertTrue(browser.byId("last-received").getAttribute("title").matches(EXACT_TIME));
        assertEquals("hour received (UTC);events;24;processed or closed|waiting to be processed|failed, waiting to retry"
                + "|waiting for a tenant|failed for good", chartOf(browser, "hourly-chart"), "the chart, its axes titled");
        assertEquals(List.of(), browser.refusedByPolicy(), "the dashboard runs under its policy");
        screenshots(browser, "/admin/index.xhtml", "dashboard");

        browser.open("/admin/index.xhtml");
        browser.click("count-FAILED");
        assertEquals("/admin/events.xhtml?status=FAILED", browser.currentPath());
        assertTrue(browser.text().contains(dead), "the dead event is in the list the count opened: " + browser.text());

        browser.open("/admin/index.xhtml");
        browser.click("count-RETRY_SCHEDULED");
        assertEquals("/admin/events.xhtml?status=RETRY_SCHEDULED", browser.currentPath());

        browser.open("/admin/index.xhtml");
        browser.click("outbox-FAILED");
        assertTrue(browser.currentPath().startsWith("/admin/failures.xhtml"), browser.currentPath());
        assertTrue(browser.present("failures:failed-outbox"));

        browser.open("/admin/index.xhtml");
        browser.click("stored-events");
        assertTrue(browser.currentPath().startsWith("/admin/events.xhtml"), browser.currentPath());

        browser.open("/admin/index.xhtml");
        browser.click("to-failures");
        assertTrue(browser.text().contains(dead), "listed with the failures: " + browser.text());
    }

    @Test
    void noBannerOnAServiceSetUpRightAndOneNamingTheRatingEdgeWhileItFails() throws Exception {
        AdminBrowser browser = admin();
        browser.open("/admin/index.xhtml");
        assertFalse(browser.present("banner-webhook-secret"), "webhook secrets are configured in this run");
        assertFalse(browser.present("banner-stripe-key"), "a Stripe API key is configured in this run");
        assertFalse(browser.present("banner-connector-rating"), "the rating edge answers");

        String tenant = Unique.id("tenant_attention_");
        ConnectorFakes fakes = environment.connectors;
        fakes.failRating(tenant, Integer.MAX_VALUE);
        String key = "rating:payment:" + Payments.payOrder(client, tenant, Unique.id("ord_"), 2500);
        try {
            Eventually.until(() -> {
                browser.open("/admin/audit.xhtml");
                return browser.present("banner-connector-rating")
                        && browser.byId("banner-connector-rating").getText().contains("failed for good");
            }, "the banner names the rating edge, on any page, once its message failed for good");
            String banner = browser.byId("banner-connector-rating").getText();
            assertTrue(banner.startsWith("The rating edge is failing: 1 message failed for good"), banner);
            assertTrue(banner.contains("RATING_MP_REST_URL"), "what to check: " + banner);
            assertFalse(browser.present("banner-webhook-secret"));
            browser.screenshot("banner-connector-failing");
            browser.click(By.cssSelector("#banner-connector-rating a"));
            assertTrue(browser.currentPath().startsWith("/admin/failures.xhtml"), browser.currentPath());
            assertTrue(browser.text().contains(key), "the failed message, to send again: " + browser.text());
            assertEquals(List.of(), browser.refusedByPolicy());
        } finally {
            fakes.heal(tenant);
            client.operator("POST", "api/admin/outbox/" + key + "/retry", "{\"reason\":\"rating edge back\"}");
        }
        Eventually.until(() -> "DELIVERED".equals(client.operator("GET", "api/admin/outbox/" + key, null).json()
                .getString("status")), key + " delivered after the retry");
        Eventually.until(() -> {
            browser.open("/admin/index.xhtml");
            return !browser.present("banner-connector-rating");
        }, "the banner gone once the rating edge took its message");
    }

    @Test
    void theRefusedDeliveriesPageIsBehindTheLogin() {
        try (AdminBrowser anonymous = new AdminBrowser(environment.baseUri().toString())) {
            anonymous.open("/admin/refusals.xhtml");
            assertTrue(anonymous.currentPath().startsWith("/login.xhtml"), anonymous.currentPath());
        }
        assertEquals(401, client.operator("GET", "api/admin/webhook/refusals", null, null, null).status());
    }

    private List<JsonObject> refusalsFrom(String address) {
        WebhookClient.Answer answer = client.operator("GET", "api/admin/webhook/refusals?limit=500", null);
        assertEquals(200, answer.status(), answer.body());
        List<JsonObject> from = new ArrayList<>();
        answer.json().getJsonArray("latest").getValuesAs(JsonObject.class).stream()
                .filter(r -> r.getString("remote_address").equals(address)).forEach(from::add);
        return from;
    }

    private static String chartOf(AdminBrowser browser, String chartId) {
        return (String) browser.awaitScript(CHART.formatted(chartId));
    }

    /**
     * The page at 1400 and at 1024 px, each drawn afresh at that width and no wider than the window; the window is
     * 1400 px wide again after.
     */
    private static void screenshots(AdminBrowser browser, String path, String name) {
        for (int width : List.of(1400, 1024)) {
            browser.width(width);
            browser.open(path);
            browser.awaitScript(CHART.formatted(path.contains("refusals") ? "refusals-chart" : "hourly-chart"));
            assertEquals(Boolean.TRUE, browser.script("return document.documentElement.scrollWidth <= window.innerWidth"),
                    path + " fits a window " + width + " px wide");
            browser.screenshot(name + "-" + width);
        }
        browser.width(1400);
    }
}
