package io.billing.web.demo;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.billing.stripe.webhook.SignatureHeader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The bundled sample events ({@code demo/stripe-events/} on the class path) and how they are delivered: in
 * Stripe's created order, each signed like Stripe signs (t=now, v1 = HMAC-SHA256 of {@code "<t>.<body>"}).
 */
final class SampleStories {

    private static final String FOLDER = "demo/stripe-events/";

    /** One sample event: its file and its body. */
    record Sample(String name, String body, long created) {
    }

    private SampleStories() {
    }

    /** Every sample, oldest first. */
    static List<Sample> load() {
        List<Sample> samples = new ArrayList<>();
        for (String name : resource("index.txt").lines().map(String::trim).filter(line -> !line.isEmpty()).toList()) {
            String body = resource(name);
            samples.add(new Sample(name, body, JsonParser.parseString(body).getAsJsonObject().get("created").getAsLong()));
        }
        samples.sort(Comparator.comparingLong(Sample::created).thenComparing(Sample::name));
        return samples;
    }

    /**
     * A copy of a sample under a new event id with its object's {@code status} removed: a delivery this service
     * cannot apply (a subscription must have a status), which fails and is retried.
     */
    static Sample poisoned(Sample sample, String eventId) {
        JsonObject event = JsonParser.parseString(sample.body()).getAsJsonObject();
        event.addProperty("id", eventId);
        event.getAsJsonObject("data").getAsJsonObject("object").remove("status");
        return new Sample(sample.name() + " (status removed)", event.toString(), sample.created());
    }

    /** Posts the sample, signed now; returns the HTTP status. */
    static int deliver(HttpClient http, URI webhook, String secret, Sample sample, Clock clock)
            throws IOException, InterruptedException {
        String signature = SignatureHeader.sign(secret, clock.instant().getEpochSecond(), sample.body());
        HttpRequest request = HttpRequest.newBuilder(webhook).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Stripe-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(sample.body(), StandardCharsets.UTF_8)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String resource(String name) {
        try (InputStream in = SampleStories.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("demo sample missing from the class path: " + FOLDER + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
