package io.billing.it;

import io.billing.service.StaffLogin;
import io.billing.testsupport.StripeSigner;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Talks to the running service over real HTTP: the webhook endpoint (signed like Stripe unless told
 * otherwise) and the operator API, with HTTP Basic credentials or, as the configured admin, with the session of one
 * login through the admin's login form (a password check per call would cost every poll a PBKDF2 hash).
 */
public final class WebhookClient {

    public static final String JSON = "application/json; charset=utf-8";

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final TestEnvironment environment = TestEnvironment.get();
    private String adminSession;

    /** The answer: status, the {@code Retry-After} header if any, and the JSON body if it had one. */
    public record Answer(int status, String retryAfter, String body) {

        public JsonObject json() {
            try (var reader = Json.createReader(new StringReader(body))) {
                return reader.readObject();
            }
        }

        public String error() {
            return json().getString("error");
        }
    }

    /** Posts {@code body} signed now with the current secret. */
    public Answer postSigned(byte[] body) {
        return post(body, JSON, StripeSigner.header(body, now(), environment.currentSecret));
    }

    public Answer post(byte[] body, String contentType, String signatureHeader) {
        HttpRequest.Builder request = HttpRequest.newBuilder(webhookUri())
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (signatureHeader != null) {
            request.header("Stripe-Signature", signatureHeader);
        }
        return send(request.build());
    }

    /** Calls the operator API as {@code user}; {@code user} null sends no credentials. */
    public Answer operator(String method, String path, String jsonBody, String user, String password) {
        HttpRequest.Builder request = HttpRequest.newBuilder(environment.baseUri().resolve(path))
                .timeout(Duration.ofSeconds(30))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            request.header("Content-Type", JSON);
        }
        if (user != null) {
            String token = java.util.Base64.getEncoder().encodeToString(
                    (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            request.header("Authorization", "Basic " + token);
        }
        return send(request.build());
    }

    /** GETs {@code path} with {@code Authorization: Bearer <token>}; a null token sends no header. */
    public Answer getWithToken(String path, String token) {
        return withToken("GET", path, null, token);
    }

    /** Calls {@code path} as the SaaS application does, with {@code Authorization: Bearer <token>} (null: none). */
    public Answer withToken(String method, String path, String jsonBody, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(environment.baseUri().resolve(path))
                .timeout(Duration.ofSeconds(30))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            request.header("Content-Type", JSON);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    /** Polls the event until it reaches {@code status} (the engine runs asynchronously); returns its summary. */
    public JsonObject awaitStatus(String eventId, String status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonObject summary = null;
        while (System.nanoTime() < deadline) {
            WebhookClient.Answer answer = operator("GET", "api/admin/events/" + eventId, null);
            if (answer.status() == 200) {
                summary = answer.json().getJsonObject("summary");
                if (status.equals(summary.getString("status"))) {
                    return summary;
                }
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("event " + eventId + " did not reach " + status + " in 30 s; last seen " + summary);
    }

    /**
     * Calls the operator API as the configured admin, with the admin's session: a change is sent as JSON, as the
     * session requires, also without a body.
     */
    public Answer operator(String method, String path, String jsonBody) {
        if (adminSession == null) {
            adminSession = new StaffLogin(environment.baseUri()).session("admin", environment.adminPassword);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(environment.baseUri().resolve(path))
                .timeout(Duration.ofSeconds(30))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody))
                .header("Cookie", adminSession);
        if (jsonBody != null || !method.equals("GET")) {
            request.header("Content-Type", JSON);
        }
        return send(request.build());
    }

    public Answer get(String path) {
        return send(HttpRequest.newBuilder(environment.baseUri().resolve(path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null),
                    response.body());
        } catch (IOException e) {
            throw new AssertionError("request to " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public URI webhookUri() {
        return environment.baseUri().resolve("api/stripe/webhook");
    }

    public static long now() {
        return Instant.now().getEpochSecond();
    }
}
