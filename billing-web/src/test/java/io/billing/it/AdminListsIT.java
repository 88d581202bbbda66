package io.billing.it;

import io.billing.testsupport.StripeFixtures;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin's lists in a real browser: the events list's filters, order and page live in its URL, which shows the
 * same rows in a fresh session; at least 20 events show on a 1400 x 900 screen and no list scrolls sideways at
 * 1024 px; ids are links to what they name and their copy buttons copy under the pages' policy; the list of every
 * mapping is searched by the start of an id and "map this customer" opens the editor on the parked customer; the
 * staff page shows last logins and yes or no, and refuses a change without a reason. Screenshots of every list at
 * both widths go to {@code target/screenshots/lists-*}; the events list's also to the README's pictures.
 */
@ExtendWith(ArquillianExtension.class)
class AdminListsIT {

    /** Events of a type of their own, one a minute back from {@link #SEEDED_NEWEST}: a page of 50 and a bit. */
    private static final int SEEDED = 55;
    /** Long before the sample stories, so that the seeded events sit below them in the unfiltered list. */
    private static final Instant SEEDED_NEWEST = Instant.parse("2020-03-01T12:00:00Z");
    private static final List<String> STATUSES = List.of("PROCESSED", "FAILED", "UNMAPPED", "IGNORED", "RESOLVED",
            "RETRY_SCHEDULED");
    private static final DateTimeFormatter PICKED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private static String seededType;
    /** The seeded events, newest first. */
    private static List<Seeded> seeded;

    private final WebhookClient client = new WebhookClient();
    private final TestEnvironment environment = TestEnvironment.get();

    private record Seeded(String eventId, String status, Instant created) {
    }

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.billingWar();
    }

    @BeforeAll
    static void browser() {
        AdminBrowser.requireOrSkip();
    }

    /** A browser of its own for each test, logged in as the admin, its viewport a 1400 x 900 screen's. */
    private AdminBrowser admin() {
        AdminBrowser browser = new AdminBrowser(environment.baseUri().toString());
        browser.logIn("admin", environment.adminPassword);
        browser.viewport(1400, 900);
        return browser;
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /**
     * Stores the seeded events once, as they would be after the engine settled them (none is due, so the engine
     * leaves them as they are), in every status a list shows.
     */
    private List<Seeded> seeded() throws Exception {
        if (seeded == null) {
            String type = unique("test.lists_") + ".seeded";
            List<Seeded> rows = new ArrayList<>();
            try (Connection db = environment.openDatabase(); PreparedStatement insert = db.prepareStatement("""
                    INSERT INTO inbox_event (event_id, event_type, api_version, livemode, stripe_created, object_type,
                        object_id, customer_id, tenant_id, payload, received_at, delivery_count, last_delivered_at,
                        status, status_reason, status_changed_at, attempt_count, due_at)
                    VALUES (?, ?, '2026-07-29.dahlia', FALSE, ?, 'invoice', ?, ?, 'tenant_lists', ?, ?, 1, ?, ?, ?, ?, ?,
                        ?)""")) {
                for (int i = 0; i < SEEDED; i++) {
                    Seeded row = new Seeded(unique("evt_lists_"), STATUSES.get(i % STATUSES.size()),
                            SEEDED_NEWEST.minus(Duration.ofMinutes(i)));
                    Timestamp now = Timestamp.from(Instant.now());
                    insert.setString(1, row.eventId());
                    insert.setString(2, type);
                    insert.setTimestamp(3, Timestamp.from(row.created()));
                    insert.setString(4, "in_LISTS" + i);
                    insert.setString(5, "cus_LISTS" + i);
                    insert.setBytes(6, "{}".getBytes(StandardCharsets.UTF_8));
                    insert.setTimestamp(7, now);
                    insert.setTimestamp(8, now);
                    insert.setString(9, row.status());
                    insert.setString(10, "seeded as " + row.status() + ": a reason long enough to be cut short in the"
                            + " list, whose whole text is on the event's own page\nand a second line");
                    insert.setTimestamp(11, now);
                    insert.setInt(12, 1 + i % 3);
                    insert.setTimestamp(13, row.status().equals("RETRY_SCHEDULED")
                            ? Timestamp.from(Instant.now().plus(Duration.ofDays(10))) : null);
                    insert.addBatch();
                    rows.add(row);
                }
                insert.executeBatch();
            }
            seededType = type;
            seeded = rows;
        }
        return seeded;
    }

    /** The event ids the events list shows, in its order. */
    private static List<String> eventIds(AdminBrowser browser) {
        return browser.all(By.cssSelector("#table a.id-link[data-kind='event']")).stream().map(WebElement::getText)
                .toList();
    }

    private static List<String> ids(List<Seeded> rows) {
        return rows.stream().map(Seeded::eventId).toList();
    }

    @Test
    void aFilteredEventsListKeepsItsFiltersOrderAndPageInTheUrlAndShowsTheSameRowsInAFreshSession() throws Exception {
        List<Seeded> rows = seeded();
        try (AdminBrowser browser = admin()) {
            browser.open("/admin/events.xhtml");
            browser.type("filters:type", seededType);
            browser.click("filters:go");
            assertTrue(browser.currentPath().startsWith("/admin/events.xhtml?type=" + seededType),
                    browser.currentPath());
            assertEquals(ids(rows.subList(0, 50)), eventIds(browser), "newest first, 50 a page");

            browser.click("sort-status");
            assertTrue(browser.currentPath().contains("sort=status"), browser.currentPath());
            List<Seeded> byStatus = rows.stream().sorted(Comparator.comparing(Seeded::status)
                    .thenComparing(Seeded::created).thenComparing(Seeded::eventId)).toList();
            assertEquals(ids(byStatus.subList(0, 50)), eventIds(browser), "by status from A to Z");
            assertEquals("Status ▲", browser.byId("sort-status").getText());
            browser.click(By.cssSelector("#next a"));
            String secondPage = browser.currentPath();
            assertTrue(secondPage.contains("after="), "the page's cursor is in the URL: " + secondPage);
            assertEquals(ids(byStatus.subList(50, SEEDED)), eventIds(browser));

            try (AdminBrowser fresh = new AdminBrowser(environment.baseUri().toString())) {
                fresh.open(secondPage);
                assertTrue(fresh.currentPath().startsWith("/login.xhtml"), fresh.currentPath());
                fresh.logInHere("admin", environment.adminPassword);
                assertEquals(secondPage, fresh.currentPath(), "the login leads back to the list it was given");
                assertEquals(ids(byStatus.subList(50, SEEDED)), eventIds(fresh), "the same rows in another session");
                assertEquals(seededType, fresh.byId("filters:type").getAttribute("value"),
                        "the filter shows in its field");
                assertEquals(List.of(), fresh.refusedByPolicy());
            }

            // A time range from the URL shows in the date pickers, and the form sends it on unchanged.
            Instant from = rows.get(20).created();
            Instant to = rows.get(5).created();
            browser.open("/admin/events.xhtml?type=" + seededType + "&from=" + from + "&to=" + to);
            assertEquals(ids(rows.subList(6, 21)), eventIds(browser), "created from (included) to (not included)");
            assertEquals(PICKED.format(from), browser.byId("filters:from_input").getAttribute("value"));
            assertEquals(PICKED.format(to), browser.byId("filters:to_input").getAttribute("value"));
            browser.click("filters:go");
            assertTrue(browser.currentPath().contains("from=" + from.toString().replace(":", "%3A")),
                    browser.currentPath());
            assertEquals(ids(rows.subList(6, 21)), eventIds(browser));
            assertEquals(List.of(), browser.refusedByPolicy(), "the date pickers run under the page's policy");
        }
    }

    @Test
    void theEventsListShowsTwentyRowsOnA1400By900ScreenAndNoListScrollsSidewaysAt1024Pixels() throws Exception {
        seeded();
        deliverTheSampleStories();
        try (AdminBrowser browser = admin()) {
            browser.open("/admin/events.xhtml?type=" + seededType);
            // A banner (something set up wrong, such as a connector another test made fail) pushes the list down: the
            // list's own density is what is held here, so its height is given back.
            long visible = ((Number) browser.script("let shown = 0;"
                    + " const banners = document.getElementById('banners');"
                    + " const pushed = banners ? banners.getBoundingClientRect().height : 0;"
                    + " for (const row of document.querySelectorAll('#table .ui-datatable-data > tr')) {"
                    + " if (row.getBoundingClientRect().bottom <= window.innerHeight + pushed) shown++; } return shown;"))
                    .longValue();
            assertTrue(visible >= 20, visible + " rows visible on a 1400 x 900 screen");
            // The README's picture: the sample stories, up to a day after their last event.
            browser.open("/admin/events.xhtml?to=2026-11-21T00:00:00Z");
            browser.screenshot("lists-events-stories-1400", "admin-events");

            List<String> lists = List.of("/admin/events.xhtml",
                    "/admin/events.xhtml?type=" + seededType + "&sort=type",
                    "/admin/failures.xhtml", "/admin/mappings.xhtml", "/admin/tenant.xhtml",
                    "/admin/tenant.xhtml?id=tenant_acme", "/admin/audit.xhtml", "/admin/manage/staff.xhtml");
            List<String> names = List.of("events", "events-by-type", "failures", "mappings", "tenants", "tenant", "audit",
                    "staff");
            for (int width : List.of(1024, 1400)) {
                browser.viewport(width, 900);
                for (int i = 0; i < lists.size(); i++) {
                    browser.open(lists.get(i));
                    List<?> widths = (List<?>) browser.script("return [document.documentElement.scrollWidth,"
                            + " document.documentElement.clientWidth]");
                    assertTrue(((Number) widths.get(0)).longValue() <= ((Number) widths.get(1)).longValue(),
                            lists.get(i) + " at " + width + " px scrolls sideways: " + widths);
                    browser.screenshot("lists-" + names.get(i) + "-" + width);
                }
            }
            assertEquals(List.of(), browser.refusedByPolicy());
        }
    }

    /** The sample stories (as the demo feeds them), so that the lists show what an operator would see. */
    private void deliverTheSampleStories() throws Exception {
        List<StripeFixtures.Fixture> stories = StripeFixtures.all().stream()
                .filter(f -> !f.name().startsWith("legacy/")).toList();
        for (StripeFixtures.Fixture fixture : stories) {
            assertEquals(200, client.postSigned(fixture.body()).status(), fixture.name());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (StripeFixtures.Fixture fixture : stories) {
            while (List.of("RECEIVED", "PROCESSING").contains(client.operator("GET", "api/admin/events/"
                    + fixture.eventId(), null).json().getJsonObject("summary").getString("status"))) {
                assertTrue(System.nanoTime() < deadline, fixture.name() + " was not applied in 60 s");
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }

    @Test
    void everyIdIsALinkToWhatItNamesAndItsButtonCopiesIt() throws Exception {
        StripeFixtures.Fixture paid = StripeFixtures.get("acme/05_invoice.paid.subscription_create.json");
        assertEquals(200, client.postSigned(paid.body()).status());
        client.awaitStatus(paid.eventId(), "PROCESSED");
        try (AdminBrowser browser = admin()) {
            String list = "/admin/events.xhtml?q=" + paid.eventId();

            browser.open(list);
            follow(browser, "event", paid.eventId());
            assertEquals("/admin/event.xhtml?id=" + paid.eventId(), browser.currentPath());
            assertEquals(paid.eventId(), browser.byId("event-id").getText());
            follow(browser, "tenant", "tenant_acme");
            assertEquals("/admin/tenant.xhtml?id=tenant_acme", browser.currentPath(), "from the event's page");
            assertTrue(browser.byId("tenant-name").getText().contains("tenant_acme"));

            browser.open(list);
            follow(browser, "trace", "in_TEST1_SUB0001");
            assertEquals("/admin/trace.xhtml?q=in_TEST1_SUB0001", browser.currentPath());
            assertTrue(browser.text().contains("invoice:in_TEST1_SUB0001"), "the invoice's payment: " + browser.text());

            browser.open("/admin/tenant.xhtml?id=tenant_acme");
            follow(browser, "fact", "invoice_paid:in_TEST1_SUB0001");
            assertEquals("/admin/trace.xhtml?q=in_TEST1_SUB0001", browser.currentPath(), "a posting leads to its payment");

            // An operator's mapping in the audit log: its customer leads to the trace, its tenant to the tenant's page.
            String customer = unique("cus_LINKS");
            String tenant = unique("tenant_links_");
            assertEquals(200, client.operator("PUT", "api/admin/mappings/customers/" + customer,
                    "{\"tenant_id\":\"" + tenant + "\",\"reason\":\"links\"}").status());
            browser.open("/admin/audit.xhtml?term=" + customer);
            follow(browser, "tenant", tenant);
            assertEquals("/admin/tenant.xhtml?id=" + tenant, browser.currentPath());
            browser.open("/admin/audit.xhtml?term=" + customer);
            follow(browser, "trace", customer);
            assertEquals("/admin/trace.xhtml?q=" + customer, browser.currentPath());

            // The copy button beside an id puts the id on the browser's clipboard: the page's own script, which its policy
            // allows, through the Clipboard API or, over plain HTTP from a host other than localhost, without it.
            browser.open(list);
            WebElement copy = browser.all(By.cssSelector("#table button.copy-id[data-copy='" + paid.eventId() + "']"))
                    .get(0);
            copy.click();
            browser.await(d -> copy.getAttribute("class").contains("copied"));
            assertEquals(paid.eventId(), browser.pasteInto("filters:q"), "what the button copied");
            assertEquals(List.of(), browser.refusedByPolicy(), "the links' pages and the copy run under their policy");
        }
    }

    /** Clicks the link of the kind whose text is the id, and waits for the page it leads to. */
    private static void follow(AdminBrowser browser, String kind, String id) {
        browser.click(By.xpath("//a[@class='id-link' and @data-kind='" + kind + "' and text()='" + id + "']"));
    }

    @Test
    void theMappingsListIsSearchedByTheStartOfAnIdAndMapThisCustomerOpensTheEditorOnIt() throws Exception {
        String prefix = unique("cus_LST");
        String mapped = prefix + "_MAPPED";
        String parked = prefix + "_PARKED";
        String account = unique("acct_LST");
        String tenant = unique("tenant_lists_");
        assertEquals(200, client.operator("PUT", "api/admin/mappings/customers/" + mapped,
                "{\"tenant_id\":\"" + tenant + "\",\"reason\":\"onboarding\"}").status());
        assertEquals(200, client.operator("PUT", "api/admin/mappings/accounts/" + account,
                "{\"tenant_id\":\"" + tenant + "\",\"reason\":\"the shop's account\"}").status());
        String eventId = unique("evt_lists_parked_");
        String body = new String(StripeFixtures.get("globex/01_customer.created.json").withEventId(eventId).body(),
                StandardCharsets.UTF_8).replace("cus_TEST2", parked).replace("\"tenant_id\": \"tenant_globex\"", "\"x\": 1");
        assertEquals(200, client.postSigned(body.getBytes(StandardCharsets.UTF_8)).status());
        client.awaitStatus(eventId, "UNMAPPED");

        try (AdminBrowser browser = admin()) {
            browser.open("/admin/mappings.xhtml");
            browser.type("mapping-search:search", prefix);
            browser.click("mapping-search:find");
            assertEquals("/admin/mappings.xhtml?search=" + prefix, browser.currentPath());
            assertEquals(List.of(mapped), texts(browser, "#all-mappings .mapping-id a"), "the parked customer has none");
            assertEquals(List.of(tenant), texts(browser, "#all-mappings .mapping-tenant a"));

            browser.type("mapping-search:search", tenant);
            browser.click("mapping-search:find");
            assertEquals(List.of("customer", "account"), texts(browser, "#all-mappings .mapping-kind"),
                    "the tenant's customers, then its Connect accounts");
            assertEquals(List.of(mapped, account), texts(browser, "#all-mappings .mapping-id .id"));
            browser.screenshot("lists-mappings-search");

            browser.open("/admin/mappings.xhtml");
            browser.click(By.xpath("//tr[.//a[text()='" + parked + "']]//span[contains(@class, 'map-customer')]/a"));
            assertEquals("/admin/mappings.xhtml?customer=" + parked, browser.currentPath());
            assertEquals(parked, browser.byId("mapping:customer").getAttribute("value"), "the editor holds the customer");
            assertEquals("", browser.byId("mapping:tenant").getAttribute("value"));
            browser.type("mapping:tenant", tenant);
            browser.click("mapping:save");
            assertTrue(browser.text().contains("A mapping change needs a reason"), "still no change without a reason");
            browser.type("mapping:reason", "the parked customer is the shop's");
            browser.click("mapping:save");
            assertEquals("1", browser.byId("confirm-requeue").getText(), "asked first, with what it will queue");
            browser.click("mapping:confirm");
            assertEquals(tenant, client.awaitStatus(eventId, "PROCESSED").getString("tenant_id"));

            // A mapping's "change" opens the editor on it.
            browser.open("/admin/mappings.xhtml?search=" + parked);
            browser.click(By.xpath("//tr[.//a[text()='" + parked + "']]//span[contains(@class, 'change-mapping')]/a"));
            assertEquals(parked, browser.byId("mapping:customer").getAttribute("value"));
            assertEquals(tenant, browser.byId("mapping:tenant").getAttribute("value"));
            assertTrue(browser.byId("mapping:current").getText().contains("mapped to"), browser.text());
            assertEquals(List.of(), browser.refusedByPolicy());
        }
    }

    private static List<String> texts(AdminBrowser browser, String css) {
        return browser.all(By.cssSelector(css)).stream().map(WebElement::getText).map(String::trim).toList();
    }

    @Test
    void theStaffPageShowsLastLoginsAndYesOrNoAndRefusesAChangeWithoutAReason() throws Exception {
        String user = unique("lists-");
        String password = "lists-password-" + UUID.randomUUID();
        try (AdminBrowser browser = admin()) {
            browser.open("/admin/manage/staff.xhtml");
            browser.type("staff:username", user);
            browser.type("staff:password", password);
            browser.click("staff:create");
            assertTrue(browser.text().contains("A staff change needs a reason"), browser.text());
            assertTrue(row(browser, user).isEmpty(), "not created");

            browser.type("staff:username", user);
            browser.type("staff:password", password);
            browser.type("staff:reason", "joins support");
            browser.click("staff:create");
            assertTrue(browser.text().contains("Account " + user + " (support) created;"), browser.text());
            assertEquals(List.of(user, "support", "yes", "yes", "never"), cells(browser, user));
            String table = browser.byId("staff:accounts").getText();
            assertFalse(table.contains("true") || table.contains("false"), table);

            try (AdminBrowser newcomer = new AdminBrowser(environment.baseUri().toString())) {
                newcomer.logIn(user, password);
                assertTrue(newcomer.currentPath().startsWith("/admin/password.xhtml"), newcomer.currentPath());
            }
            browser.open("/admin/manage/staff.xhtml");
            assertTrue(cells(browser, user).get(4).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"),
                    "the login is recorded: " + cells(browser, user));
            browser.screenshot("lists-staff-after-login");

            browser.click(By.xpath("//tr[td[normalize-space()='" + user + "']]//button"));
            assertTrue(browser.text().contains("A staff change needs a reason"), browser.text());
            assertEquals("yes", cells(browser, user).get(2), "still enabled");
            browser.type("staff:reason", "left the team");
            browser.click(By.xpath("//tr[td[normalize-space()='" + user + "']]//button"));
            assertEquals("no", cells(browser, user).get(2));

            browser.open("/admin/audit.xhtml?term=" + user);
            String audit = browser.text();
            assertTrue(audit.contains("CREATE_STAFF_ACCOUNT") && audit.contains("joins support")
                    && audit.contains("DISABLE_STAFF_ACCOUNT") && audit.contains("left the team"), audit);
            follow(browser, "staff", user);
            assertEquals("/admin/manage/staff.xhtml", browser.currentPath(), "the audit's target leads to its page");
        }
    }

    private static List<WebElement> row(AdminBrowser browser, String user) {
        return browser.all(By.xpath("//tr[td[normalize-space()='" + user + "']]"));
    }

    /** The account's row: user, role, enabled, must change password, last login (the created time left out). */
    private static List<String> cells(AdminBrowser browser, String user) {
        List<String> cells = row(browser, user).get(0).findElements(By.tagName("td")).stream()
                .map(WebElement::getText).map(String::trim).toList();
        return List.of(cells.get(0), cells.get(1), cells.get(2), cells.get(3), cells.get(5));
    }
}
