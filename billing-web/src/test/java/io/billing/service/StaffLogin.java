package io.billing.service;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Logs a staff member in through the admin's login form over plain HTTP, as a browser does (the page's session
 * cookie and Faces' view state, then the form's POST), for tests and benchmarks that call the admin or the operator
 * API with the session instead of a browser. Redirects are not followed, so the answer of each step can be seen.
 */
public final class StaffLogin {

    private static final Pattern HIDDEN_INPUT = Pattern.compile("<input[^>]*type=\"hidden\"[^>]*>");
    private static final Pattern NAME = Pattern.compile("name=\"([^\"]+)\"");
    private static final Pattern VALUE = Pattern.compile("value=\"([^\"]*)\"");
    private static final Pattern SCRIPT_NONCE = Pattern.compile("<script[^>]*nonce=\"([^\"]+)\"");
    private static final Pattern SESSION_COOKIE = Pattern.compile("(JSESSIONID=[^;]+)");

    /**
     * A login's answer: the status, where it leads, the session cookie ({@code JSESSIONID=…}) to send, and the
     * {@code Set-Cookie} header that set it, if this answer set one.
     */
    public record Result(int status, String location, String cookie, String setCookie, String body) {

        public boolean loggedIn() {
            return status == 302 && location != null && !location.contains("/login.xhtml");
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;

    /** @param base the service's root, e.g. {@code http://localhost:8080/} */
    public StaffLogin(URI base) {
        this.base = base;
    }

    /** The login page's session cookie, as a browser gets it before logging in. */
    public String pageCookie() {
        return form().cookie();
    }

    /** Logs in; {@code headers} are sent with the form's POST (an {@code X-Forwarded-For}, say). */
    public Result logIn(String user, String password, Map<String, String> headers) {
        Result page = form();
        // Every hidden field of the page, as a browser sends them: Faces' view state, the form's own …
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher hidden = HIDDEN_INPUT.matcher(page.body());
        while (hidden.find()) {
            Matcher name = NAME.matcher(hidden.group());
            Matcher value = VALUE.matcher(hidden.group());
            if (name.find()) {
                fields.put(unescape(name.group(1)), value.find() ? unescape(value.group(1)) : "");
            }
        }
        Matcher nonce = SCRIPT_NONCE.matcher(page.body());
        if (nonce.find()) { // PrimeFaces' script sends the page's nonce with the form (its CSP mode checks it)
            fields.put("primefaces.nonce", unescape(nonce.group(1)));
        }
        if (!fields.containsKey("jakarta.faces.ViewState")) {
            throw new IllegalStateException("the login page has no view state: " + page.body());
        }
        fields.put("login:username", user);
        fields.put("login:password", password);
        fields.put("login:submit", "");
        HttpRequest.Builder post = HttpRequest.newBuilder(base.resolve("login.xhtml")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", page.cookie())
                .POST(HttpRequest.BodyPublishers.ofString(fields.entrySet().stream()
                        .map(f -> encode(f.getKey()) + "=" + encode(f.getValue())).collect(Collectors.joining("&"))));
        headers.forEach(post::header);
        Result answer = send(post.build());
        return new Result(answer.status(), answer.location(), answer.cookie() == null ? page.cookie() : answer.cookie(),
                answer.setCookie(), answer.body());
    }

    /** Logs in, or fails saying why: the session cookie to send. */
    public String session(String user, String password) {
        Result result = logIn(user, password, Map.of());
        if (!result.loggedIn()) {
            throw new IllegalStateException("login as " + user + " failed: " + result.status() + " "
                    + result.location());
        }
        return result.cookie();
    }

    private Result form() {
        Result page = send(HttpRequest.newBuilder(base.resolve("login.xhtml")).timeout(Duration.ofSeconds(30)).GET()
                .build());
        if (page.status() != 200 || page.cookie() == null) {
            throw new IllegalStateException("the login page answered " + page.status() + " without a session");
        }
        return page;
    }

    private Result send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            Optional<String> setCookie = response.headers().allValues("Set-Cookie").stream()
                    .filter(header -> SESSION_COOKIE.matcher(header).find()).reduce((a, b) -> b);
            Optional<String> cookie = setCookie.map(SESSION_COOKIE::matcher).filter(Matcher::find).map(m -> m.group(1));
            return new Result(response.statusCode(), response.headers().firstValue("Location").orElse(null),
                    cookie.orElse(null), setCookie.orElse(null), response.body());
        } catch (IOException e) {
            throw new IllegalStateException("request to " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String unescape(String html) {
        return html.replace("&#58;", ":").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
