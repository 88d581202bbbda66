package io.billing.it;

import io.billing.testsupport.StripeFixtures;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Money where support and finance look for it, in a real browser and through the operator API: the acme invoice's
 * amount on its trace, a refunded order's paid, refunded and net sums, each event's line on the events list and the
 * event's page, the tenant's journal with its amounts; and the same amounts as minor units with their currency in the
 * operator API. Screenshots of the trace, the tenant and the event page, 1400 and 1024 px wide, go to
 * {@code target/screenshots/money-*.png}.
 */
@ExtendWith(ArquillianExtension.class)
class AdminMoneyIT {

    private static final String INVOICE_PAID = "acme/05_invoice.paid.subscription_create.json";
    /** The acme story's card order (ord_1002) and its partial refund, in the order Stripe sent them. */
    private static final List<String> REFUNDED_ORDER = List.of("acme/09_charge.succeeded.json",
            "acme/10_payment_intent.succeeded.json", "acme/11_checkout.session.completed.payment.json",
            "acme/18_refund.created.json", "acme/19_charge.refunded.partial.json");
    private static final String ORDER_SESSION = "cs_test_a1ACMEpay10023vDLkBcCn5iNoxNbaYsu8iE5ADzEXjYGjeX4yRui";
    private static final int[] WIDTHS = {1400, 1024};
    private static final int MAX_SHOT_HEIGHT = 5000;

    private static AdminBrowser browser;
    /** The refunded order of this run, under ids of its own: other tests post the story's own ids too. */
    private static Order order;

    private final WebhookClient client = new WebhookClient();
    private final TestEnvironment environment = TestEnvironment.get();

    /** The ids of this run's copy of the refunded order, and its refund event. */
    private record Order(String token, String orderId, String paymentIntent, String refund, String refundEvent) {
    }

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.billingWar();
    }

    @BeforeAll
    static void needsABrowser() {
        if (!AdminBrowser.available()) {
            String why = "no Chromium and chromedriver at " + AdminBrowser.CHROMIUM + " and "
                    + AdminBrowser.CHROMEDRIVER + " (apt-get install chromium chromium-driver; .ci/run does)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(why + ": CI must run the browser tests");
            }
            Assumptions.abort(why);
        }
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    private AdminBrowser browser() {
        if (browser == null) {
            browser = new AdminBrowser(environment.baseUri().toString());
            browser.logIn("admin", environment.adminPassword);
        }
        return browser;
    }

    @Test
    void theAcmeInvoicesTraceShowsItsAmountInItsCurrency() throws Exception {
        post("acme/03_customer.created.json");
        post(INVOICE_PAID);

        AdminBrowser admin = browser();
        admin.open("/admin/trace.xhtml?q=in_TEST1_SUB0001");
        assertEquals(List.of("$29.00", "$29.00", "$0.00", "$0.00", "none known", "$29.00"),
                sums(row("payments", "invoice:in_TEST1_SUB0001")), "amount, paid, refunded, disputed, fees, net");
        assertEquals("$29.00", row("postings", "invoice_paid:in_TEST1_SUB0001")
                .findElement(By.className("posting-amount")).getText());
        assertTrue(texts(By.className("summary")).contains("Invoice ACMETEST-0001 for $29.00 paid by Acme Corp"),
                "the invoice's events in plain words: " + texts(By.className("summary")));
        assertEquals(List.of(), admin.refusedByPolicy(), "the trace runs under its policy");
        screenshots(admin, "money-trace-invoice");
    }

    @Test
    void aRefundedOrdersTraceSumsWhatWasPaidRefundedAndLeft() throws Exception {
        Order refunded = refundedOrder();
        AdminBrowser admin = browser();
        admin.open("/admin/trace.xhtml?q=" + refunded.orderId());
        assertEquals(List.of("$49.00", "$49.00", "$15.00", "$0.00", "none known", "$34.00"),
                sums(row("payments", "payment:" + refunded.paymentIntent())),
                "amount, paid, refunded, disputed, fees, net");
        assertEquals("$15.00", row("postings", "refund:" + refunded.refund())
                .findElement(By.className("posting-amount")).getText());
        assertTrue(texts(By.className("summary")).contains("Refund of $15.00 on order " + refunded.orderId()),
                texts(By.className("summary")).toString());
        assertEquals(List.of(), admin.refusedByPolicy());
        screenshots(admin, "money-trace-refunded");
    }

    @Test
    void theEventsListAndTheEventPageSayWhatEachEventDid() throws Exception {
        Order refunded = refundedOrder();
        AdminBrowser admin = browser();
        admin.open("/admin/events.xhtml?q=" + refunded.refund());
        assertEquals(List.of("Refund of $15.00 on order " + refunded.orderId()), texts(By.className("summary")),
                "the refund's line on the events list");
        screenshots(admin, "money-events");

        admin.open("/admin/event.xhtml?id=" + refunded.refundEvent());
        assertEquals("Refund of $15.00 on order " + refunded.orderId(), admin.byId("event-summary").getText());
        assertEquals(List.of(), admin.refusedByPolicy(), "the events list and the event page run under their policy");
        screenshots(admin, "money-event");
    }

    @Test
    void theTenantsJournalAndBalancesShowTheirAmounts() throws Exception {
        Order refunded = refundedOrder();
        AdminBrowser admin = browser();
        admin.open("/admin/tenant.xhtml?id=tenant_acme");
        assertEquals("$15.00", row("journal", "refund:" + refunded.refund())
                .findElement(By.className("entry-amount")).getText());
        assertEquals("$49.00", row("journal", "payment:" + refunded.paymentIntent())
                .findElement(By.className("entry-amount")).getText());
        List<String> balances = texts(By.className("balance"));
        assertTrue(!balances.isEmpty() && balances.stream().allMatch(b -> b.matches("-?\\$[\\d,]+\\.\\d{2}")),
                "every balance in dollars: " + balances);
        screenshots(admin, "money-tenant");
    }

    @Test
    void theOperatorApiGivesTheAmountsInMinorUnitsWithTheirCurrency() throws Exception {
        Order refunded = refundedOrder();
        JsonObject trace = client.operator("GET", "api/admin/trace/" + refunded.orderId(), null).json();
        JsonObject payment = trace.getJsonArray("payments").getJsonObject(0);
        assertEquals("payment:" + refunded.paymentIntent(), payment.getString("payment_key"));
        assertEquals(4900, payment.getInt("amount"), payment.toString());
        assertEquals("usd", payment.getString("currency"));
        JsonObject totals = payment.getJsonObject("totals");
        assertEquals(List.of(4900, 1500, 0, 0, 3400), List.of(totals.getInt("paid"), totals.getInt("refunded"),
                totals.getInt("disputed"), totals.getInt("fees"), totals.getInt("net")), totals.toString());
        assertEquals("usd", totals.getString("currency"));
        JsonObject refundPosting = trace.getJsonArray("postings").stream().map(JsonObject.class::cast)
                .filter(p -> p.getString("business_key").equals("refund:" + refunded.refund())).findFirst().orElseThrow();
        assertEquals(1500, refundPosting.getInt("amount"));
        assertEquals("usd", refundPosting.getString("currency"));
        assertEquals("REFUNDS", refundPosting.getJsonArray("lines").getJsonObject(0).getString("account"));
        assertEquals(1500, refundPosting.getJsonArray("lines").getJsonObject(0).getInt("debit"));
        assertTrue(trace.getJsonArray("events").stream().map(JsonObject.class::cast)
                .anyMatch(e -> e.getString("summary").equals("Refund of $15.00 on order " + refunded.orderId())),
                trace.toString());

        JsonObject record = client.operator("GET", "api/admin/reconciliation/payment:" + refunded.paymentIntent(), null)
                .json();
        assertEquals(4900, record.getInt("amount"));
        assertEquals(3400, record.getJsonObject("totals").getInt("net"));

        JsonObject listed = client.operator("GET", "api/admin/events?type=refund.created&object=" + refunded.refund(),
                null).json().getJsonArray("events").getJsonObject(0);
        assertEquals("Refund of $15.00 on order " + refunded.orderId(), listed.getString("summary"));
        assertEquals("Refund of $15.00 on order " + refunded.orderId(), client.operator("GET",
                "api/admin/events/" + refunded.refundEvent(), null).json().getJsonObject("summary").getString("summary"));

        JsonObject entry = client.operator("GET", "api/admin/tenants/tenant_acme/ledger?size=500", null).json()
                .getJsonArray("journal").stream().map(JsonObject.class::cast)
                .filter(e -> e.getString("business_key").equals("refund:" + refunded.refund())).findFirst().orElseThrow();
        assertEquals(1500, entry.getJsonObject("amount").getInt("minor_units"));
        assertEquals("15.00", entry.getJsonObject("amount").getString("amount"));
    }

    /**
     * The acme story's refunded card order posted once per run under ids of its own (order, payment intent, charge,
     * session, refund, events), each event processed before the next is sent.
     */
    private Order refundedOrder() throws Exception {
        if (order != null) {
            return order;
        }
        String token = "MONEY" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
        Order fresh = new Order(token, "ord_" + token, "pi_TEST1_" + token, "re_" + token,
                "evt_money_refund_" + token);
        for (String name : REFUNDED_ORDER) {
            StripeFixtures.Fixture fixture = StripeFixtures.get(name);
            String eventId = name.contains("refund.created") ? fresh.refundEvent()
                    : "evt_money_" + name.substring(5, 7) + "_" + token;
            String body = new String(fixture.withEventId(eventId).body(), StandardCharsets.UTF_8)
                    .replace("ORD1002", token).replace("ord_1002", fresh.orderId())
                    .replace(ORDER_SESSION, "cs_test_" + token).replace("re_TEST1_0001", fresh.refund());
            assertEquals(200, client.postSigned(body.getBytes(StandardCharsets.UTF_8)).status(), name);
            client.awaitStatus(eventId, "PROCESSED");
        }
        order = fresh;
        return order;
    }

    private void post(String fixture) throws Exception {
        StripeFixtures.Fixture event = StripeFixtures.get(fixture);
        assertEquals(200, client.postSigned(event.body()).status(), fixture);
        client.awaitStatus(event.eventId(), "PROCESSED");
    }

    /** The row of the table {@code tableId} that holds {@code text}. */
    private WebElement row(String tableId, String text) {
        List<WebElement> rows = browser.all(By.xpath("//*[@id='" + tableId + "']//tr[td[contains(., '" + text + "')]]"));
        assertTrue(!rows.isEmpty(), "no row of " + tableId + " with " + text + ": " + browser.text());
        return rows.get(0);
    }

    /** A payment's amount and what its postings add up to, as its row shows them: amount, paid, refunded, disputed, fees, net. */
    private static List<String> sums(WebElement payment) {
        return List.of("amount", "paid", "refunded", "disputed", "fees", "net").stream()
                .map(name -> payment.findElement(By.className(name)).getText()).toList();
    }

    private List<String> texts(By by) {
        return browser.all(by).stream().map(WebElement::getText).toList();
    }

    /**
     * The whole page (up to {@value #MAX_SHOT_HEIGHT} px high) at each width: {@code <name>-1400.png},
     * {@code <name>-1024.png}. The window is made as high as the page, so that the shot shows the tables below the fold.
     */
    private static void screenshots(AdminBrowser admin, String name) {
        for (int width : WIDTHS) {
            admin.windowSize(width, 1000);
            admin.windowSize(width, Math.min(MAX_SHOT_HEIGHT, Math.max(1000, admin.pageHeight() + 40)));
            admin.screenshot(name + "-" + width);
        }
        admin.windowSize(WIDTHS[0], 1000);
    }
}
