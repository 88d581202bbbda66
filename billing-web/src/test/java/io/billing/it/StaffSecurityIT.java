package io.billing.it;

import io.billing.service.StaffLogin;
import io.billing.staff.StaffPasswords;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Staff logins and sessions over real HTTP: failed logins throttled with growing delays and one answer for a name no
 * account has; HTTP Basic only on the operator API; a new session id at the login; a password someone else chose
 * changed first; the security headers on pages, API answers and the webhook's; refusals as the API's JSON or the
 * admin's page; a cross-site form refused by the operator API however it carries the session.
 *
 * <p>Each test logs in from an address of its own (the tests are a trusted proxy and send {@code X-Forwarded-For}),
 * so its failed logins are not counted against the other tests' 127.0.0.1.
 */
@ExtendWith(ArquillianExtension.class)
class StaffSecurityIT {

    private static final StaffPasswords PASSWORDS = new StaffPasswords();

    private final TestEnvironment environment = TestEnvironment.get();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.billingWar();
    }

    /** What a login attempt was answered, as the caller can compare it. */
    private record Seen(int status, String error, String message, String retryAfter) {
    }

    @Test
    void failedLoginsWaitLongerAndLongerAndANameNoAccountHasIsAnsweredTheSame() throws Exception {
        String known = unique("throttle.known.");
        String password = "the right one " + UUID.randomUUID();
        account(known, password, "support", false);
        String unknown = unique("throttle.nobody.");

        List<Seen> seenKnown = new ArrayList<>();
        List<Seen> seenUnknown = new ArrayList<>();
        List<Long> nanosKnown = new ArrayList<>();
        List<Long> nanosUnknown = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String guess = "wrong guess " + i;
            seenKnown.add(timed(nanosKnown, () -> basic(known, guess, "203.0.113.10")));
            seenUnknown.add(timed(nanosUnknown, () -> basic(unknown, guess, "203.0.113.11")));
        }
        seenKnown.add(basic(known, "wrong guess 5", "203.0.113.10"));
        seenUnknown.add(basic(unknown, "wrong guess 5", "203.0.113.11"));
        assertEquals(new Seen(401, "unauthorized", "Wrong user name or password.", null), seenKnown.get(0));
        Seen waiting = seenKnown.get(5);
        assertEquals(429, waiting.status(), "five free attempts, then a delay (3 s in the tests)");
        assertEquals("too_many_failed_logins", waiting.error());
        assertEquals("Too many failed logins for this user name or from this address: try again in "
                + waiting.retryAfter() + " s.", waiting.message());
        assertTrue(Integer.parseInt(waiting.retryAfter()) <= 3, waiting.retryAfter());
        assertEquals(withoutSeconds(seenKnown), withoutSeconds(seenUnknown), "a name no account has is answered the same");
        long median = nanosKnown.stream().sorted().toList().get(2);
        assertTrue(nanosUnknown.stream().sorted().toList().get(2) > median / 3,
                "a name no account has costs a password check too: " + nanosKnown + " " + nanosUnknown);

        // The login form says the same, and the right password waits as well.
        StaffLogin.Result form = new StaffLogin(environment.baseUri()).logIn(known, password,
                Map.of("X-Forwarded-For", "203.0.113.10"));
        assertEquals(200, form.status(), "the login page again");
        assertTrue(form.body().contains("Too many failed logins for this user name or from this address"), form.body());
        assertFalse(form.loggedIn());

        // Once the delay is over, one more guess; the next waits twice as long.
        for (String name : List.of(known, unknown)) {
            String address = name.equals(known) ? "203.0.113.10" : "203.0.113.11";
            Seen next = awaitNotThrottled(name, "wrong guess 6", address);
            assertEquals(401, next.status());
            Seen doubled = basic(name, "wrong guess 7", address);
            assertEquals(429, doubled.status());
            assertTrue(Integer.parseInt(doubled.retryAfter()) > 3, name + ": the delay grows to 6 s, "
                    + doubled.retryAfter() + " s left");
        }
        assertEquals(1, throttleRows("address:203.0.113.10"), "counted for the client the trusted proxy named");
        Seen right = awaitNotThrottled(known, password, "203.0.113.10");
        assertEquals(200, right.status(), "the right password once the delay is over");
        assertEquals(401, basic(known, "wrong again", "203.0.113.10").status(), "a success starts the count afresh");
    }

    @Test
    void oneAddressGuessingManyNamesWaitsToo() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertEquals(401, basic(unique("spray."), "Summer2026!!", "203.0.113.40").status(), "free attempt " + i);
        }
        Seen waiting = basic(unique("spray."), "Summer2026!!", "203.0.113.40");
        assertEquals(429, waiting.status(), "twenty free attempts from one address, whatever the names");
        assertEquals(401, basic(unique("spray."), "Summer2026!!", "203.0.113.41").status(), "another address is free");
    }

    @Test
    void httpBasicIsNoCredentialOutsideTheOperatorApi() throws Exception {
        String stranger = unique("basic.elsewhere.");
        HttpResponse<String> webhook = send(HttpRequest.newBuilder(environment.baseUri().resolve("api/stripe/webhook"))
                .header("Authorization", basicHeader(stranger, "a guess of a password"))
                .header("Content-Type", WebhookClient.JSON)
                .header("Stripe-Signature", "t=" + WebhookClient.now() + ",v1=00")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals(400, webhook.statusCode(), "the webhook judges the signature only");
        HttpResponse<String> tenants = send(HttpRequest.newBuilder(environment.baseUri().resolve(
                        "api/tenants/tenant_acme/entitlements"))
                .header("Authorization", basicHeader("admin", environment.adminPassword)).GET());
        assertEquals(401, tenants.statusCode(), "the tenant API takes its bearer token, not a staff password");
        HttpResponse<String> page = send(HttpRequest.newBuilder(environment.baseUri().resolve("admin/index.xhtml"))
                .header("Authorization", basicHeader("admin", environment.adminPassword)).GET());
        assertEquals(302, page.statusCode(), "to the login page");
        assertTrue(page.headers().firstValue("Location").orElse("").contains("/login.xhtml"));
        assertEquals(0, throttleRows("account:" + stranger), "no password was checked, so no attempt was counted");
    }

    @Test
    void aLoginGetsANewSessionIdAndTheOldOneOpensNothing() {
        StaffLogin login = new StaffLogin(environment.baseUri());
        String before = login.pageCookie();
        StaffLogin.Result result = login.logIn("admin", environment.adminPassword, Map.of());
        assertTrue(result.loggedIn(), result.status() + " " + result.location());
        assertNotEquals(before, result.cookie());
        assertTrue(result.setCookie().contains("HttpOnly") && result.setCookie().contains("SameSite=Strict"),
                result.setCookie());
        assertEquals(401, get("api/admin/events", before).statusCode(), "an id from before the login");
        assertEquals(200, get("api/admin/events", result.cookie()).statusCode());
        assertEquals(200, get("admin/index.xhtml", result.cookie()).statusCode());
    }

    @Test
    void aPasswordSomeoneElseChoseOpensOnlyThePasswordPage() throws Exception {
        String user = unique("must.change.");
        String password = "chosen by an admin " + UUID.randomUUID();
        account(user, password, "support", true);

        Seen basic = basic(user, password, "203.0.113.20");
        assertEquals(403, basic.status());
        assertEquals("password_change_required", basic.error());

        String session = new StaffLogin(environment.baseUri()).logIn(user, password,
                Map.of("X-Forwarded-For", "203.0.113.20")).cookie();
        HttpResponse<String> events = get("admin/events.xhtml", session);
        assertEquals(302, events.statusCode());
        assertTrue(events.headers().firstValue("Location").orElse("").endsWith("/admin/password.xhtml"),
                events.headers().map().toString());
        HttpResponse<String> passwordPage = get("admin/password.xhtml", session);
        assertEquals(200, passwordPage.statusCode());
        assertTrue(passwordPage.body().contains("Choose your own before you go on"), passwordPage.body());
        HttpResponse<String> api = get("api/admin/events", session);
        assertEquals(403, api.statusCode());
        assertEquals("password_change_required", json(api).getString("error"));
    }

    @Test
    void pagesApiAnswersAndTheWebhooksAnswerCarryTheSecurityHeaders() {
        HttpResponse<String> page = get("login.xhtml", null);
        assertEquals(200, page.statusCode());
        assertPageHeaders(page.headers());
        assertTrue(page.headers().allValues("Content-Security-Policy").stream()
                .anyMatch(policy -> policy.matches("script-src 'self' 'nonce-[^']+'.*")),
                "on a Faces page only the scripts PrimeFaces wrote run: " + page.headers().map());
        assertNull(page.headers().firstValue("Strict-Transport-Security").orElse(null), "plain HTTP: no HSTS");

        String session = new StaffLogin(environment.baseUri()).session("admin", environment.adminPassword);
        HttpResponse<String> api = get("api/admin/events", session);
        assertEquals(200, api.statusCode());
        assertPageHeaders(api.headers());
        assertTrue(api.headers().firstValue("Content-Security-Policy").orElseThrow().startsWith("default-src 'none'"));

        HttpResponse<String> webhook = send(HttpRequest.newBuilder(environment.baseUri().resolve("api/stripe/webhook"))
                .header("Content-Type", WebhookClient.JSON).POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals(400, webhook.statusCode());
        assertPageHeaders(webhook.headers());

        HttpResponse<String> refused = get("api/admin/events", null);
        assertEquals(401, refused.statusCode());
        assertPageHeaders(refused.headers());

        HttpResponse<String> overTls = send(HttpRequest.newBuilder(environment.baseUri().resolve("login.xhtml"))
                .header("X-Forwarded-Proto", "https").GET());
        assertEquals("max-age=31536000", overTls.headers().firstValue("Strict-Transport-Security").orElse(null),
                "TLS ended at a trusted proxy");
    }

    @Test
    void refusalsAreTheApisJsonOrTheAdminsOwnPageNeverTheServers() throws Exception {
        HttpResponse<String> anonymous = get("api/admin/events", null);
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals("unauthorized", json(anonymous).getString("error"));
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));

        String user = unique("support.");
        String password = "support's own password " + UUID.randomUUID();
        account(user, password, "support", false);
        HttpResponse<String> change = send(HttpRequest.newBuilder(environment.baseUri().resolve(
                        "api/admin/events/evt_nope/retry"))
                .header("Authorization", basicHeader(user, password)).header("X-Forwarded-For", "203.0.113.30")
                .header("Content-Type", WebhookClient.JSON).POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals(403, change.statusCode());
        JsonObject forbidden = json(change);
        assertEquals("forbidden", forbidden.getString("error"));
        assertTrue(forbidden.containsKey("message"));

        String session = new StaffLogin(environment.baseUri()).logIn(user, password,
                Map.of("X-Forwarded-For", "203.0.113.30")).cookie();
        HttpResponse<String> adminOnly = get("admin/manage/staff.xhtml", session);
        assertEquals(403, adminOnly.statusCode());
        assertTrue(adminOnly.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(adminOnly.body().contains("Billing admin") && adminOnly.body().contains("Your account may not do"
                + " this."), adminOnly.body());
        assertFalse(adminOnly.body().contains("Payara"), "not the server's page");

        HttpResponse<String> nowhere = get("api/admin/no-such-thing", session);
        assertEquals(404, nowhere.statusCode());
        assertTrue(json(nowhere).containsKey("error"), nowhere.body());
    }

    @Test
    void aCrossSiteFormCannotChangeAnythingThroughTheAdminsSession() throws Exception {
        String session = new StaffLogin(environment.baseUri()).session("admin", environment.adminPassword);
        String customer = unique("cus_CSRF_");
        WebhookClient client = new WebhookClient();
        assertEquals(200, client.operator("PUT", "api/admin/mappings/customers/" + customer,
                "{\"tenant_id\":\"tenant_csrf\",\"reason\":\"for the test\"}").status());

        for (String type : List.of("application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x")) {
            HttpResponse<String> form = send(HttpRequest.newBuilder(environment.baseUri().resolve(
                            "api/admin/stripe/recovery"))
                    .header("Cookie", session).header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString("reason=forged")));
            assertEquals(403, form.statusCode(), type + ": " + form.body());
            assertEquals("csrf_check_failed", json(form).getString("error"));
        }
        HttpResponse<String> delete = send(HttpRequest.newBuilder(environment.baseUri().resolve(
                "api/admin/mappings/customers/" + customer + "?reason=forged")).header("Cookie", session).DELETE());
        assertEquals(403, delete.statusCode(), delete.body());
        assertEquals("tenant_csrf", client.operator("GET", "api/admin/mappings/customers/" + customer, null).json()
                .getString("tenant_id"), "nothing changed");

        // The page's token opens the same call to a script of the admin's own pages, and Basic needs neither.
        HttpResponse<String> page = get("admin/index.xhtml", session);
        Matcher token = Pattern.compile("name=\"csrf-token\" content=\"([0-9a-f]+)\"").matcher(page.body());
        assertTrue(token.find(), page.body());
        HttpResponse<String> withToken = send(HttpRequest.newBuilder(environment.baseUri().resolve(
                        "api/admin/mappings/customers/" + customer + "?reason=closed"))
                .header("Cookie", session).header("X-CSRF-Token", token.group(1)).DELETE());
        assertEquals(204, withToken.statusCode(), withToken.body());
        HttpResponse<String> basicForm = send(HttpRequest.newBuilder(environment.baseUri().resolve(
                        "api/admin/mappings/customers/" + customer + "?reason=again"))
                .header("Authorization", basicHeader("admin", environment.adminPassword))
                .header("Content-Type", "application/x-www-form-urlencoded").DELETE());
        assertEquals(404, basicForm.statusCode(), "past the session's check: " + basicForm.body());
    }

    // --- the requests and rows the tests use

    private Seen basic(String user, String password, String address) throws IOException {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(environment.baseUri().resolve("api/admin/events?size=1"))
                .header("Authorization", basicHeader(user, password)).header("X-Forwarded-For", address).GET());
        if (answer.statusCode() == 200) {
            return new Seen(200, null, null, null);
        }
        JsonObject body = json(answer);
        return new Seen(answer.statusCode(), body.getString("error"), body.getString("message"),
                answer.headers().firstValue("Retry-After").orElse(null));
    }

    /** The answers with the seconds to wait left out: they depend on how long each check took. */
    private static List<Seen> withoutSeconds(List<Seen> seen) {
        return seen.stream().map(s -> new Seen(s.status(), s.error(), s.message() == null ? null
                : s.message().replaceAll("\\d+ s\\.", "N s."), s.retryAfter() == null ? null : "N")).toList();
    }

    /** Tries until the throttle lets the attempt through (at most 15 s): that attempt's answer. */
    private Seen awaitNotThrottled(String user, String password, String address) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            Seen seen = basic(user, password, address);
            if (seen.status() != 429) {
                return seen;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new AssertionError(user + " still throttled after 15 s");
    }

    @FunctionalInterface
    private interface Attempt {
        Seen run() throws IOException;
    }

    private static Seen timed(List<Long> nanos, Attempt attempt) throws IOException {
        long start = System.nanoTime();
        Seen seen = attempt.run();
        nanos.add(System.nanoTime() - start);
        return seen;
    }

    private static void assertPageHeaders(HttpHeaders headers) {
        String policy = headers.firstValue("Content-Security-Policy").orElse("");
        assertTrue(policy.contains("frame-ancestors 'none'"), headers.map().toString());
        assertEquals("nosniff", headers.firstValue("X-Content-Type-Options").orElse(null));
        assertEquals("same-origin", headers.firstValue("Referrer-Policy").orElse(null));
    }

    private HttpResponse<String> get(String path, String cookie) {
        HttpRequest.Builder request = HttpRequest.newBuilder(environment.baseUri().resolve(path)).GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static JsonObject json(HttpResponse<String> response) {
        try (var reader = Json.createReader(new StringReader(response.body()))) {
            return reader.readObject();
        }
    }

    private static String basicHeader(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A staff account as an admin would have made it, written straight to the database. */
    private void account(String user, String password, String role, boolean mustChange) throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection db = environment.openDatabase(); PreparedStatement insert = db.prepareStatement("""
                INSERT INTO staff_account (username, password_hash, role, enabled, created_at, updated_at,
                    credential_version, must_change_password)
                VALUES (?, ?, ?, TRUE, ?, ?, 0, ?)""")) {
            insert.setString(1, user);
            insert.setString(2, PASSWORDS.hash(password));
            insert.setString(3, role);
            insert.setTimestamp(4, now);
            insert.setTimestamp(5, now);
            insert.setBoolean(6, mustChange);
            insert.executeUpdate();
        }
    }

    private int throttleRows(String key) throws SQLException {
        try (Connection db = environment.openDatabase(); PreparedStatement query = db.prepareStatement(
                "SELECT COUNT(*) FROM login_throttle WHERE throttle_key = ?")) {
            query.setString(1, key);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }
}
