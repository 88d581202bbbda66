package io.billing.it;

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

/** Posts to the running service's webhook endpoint over real HTTP, signed like Stripe unless told otherwise. */
public final class WebhookClient {

    public static final String JSON = "application/json; charset=utf-8";

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final TestEnvironment environment = TestEnvironment.get();

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
