package io.billing.testsupport;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The realistic Stripe events every module's tests use, read byte for byte from the class path
 * ({@code stripe-events/} in billing-domain's test resources, published in its test jar). The folder's
 * {@code index.json} lists every event file; its README tells the stories they make up. The demo mode's
 * samples are copied from the same folder when the WAR is built.
 */
public final class StripeFixtures {

    /** Where the fixtures are on the class path. */
    public static final String FOLDER = "stripe-events/";

    private static final Pattern EVENT_ID = Pattern.compile("\"id\": \"(evt_[^\"]+)\"");

    private StripeFixtures() {
    }

    /** One fixture file: its path relative to the fixtures folder, its raw bytes and its event id. */
    public record Fixture(String name, byte[] body, String eventId) {

        /** The event's {@code data.object}, parsed (a copy the caller may change). */
        public JsonObject dataObject() {
            return event().getAsJsonObject("data").getAsJsonObject("object");
        }

        /** The same event under a new unique id {@code <prefix><random>}, for a test that must start from nothing. */
        public Fixture withFreshEventId(String prefix) {
            return withEventId(prefix + UUID.randomUUID().toString().replace("-", ""));
        }

        /**
         * The same event under another id, its {@code data.object} changed by {@code change}, for stories the
         * fixtures do not tell. The body is written anew, compact.
         */
        public Fixture withObjectChanged(String newId, Consumer<JsonObject> change) {
            JsonObject event = event();
            event.addProperty("id", newId);
            change.accept(event.getAsJsonObject("data").getAsJsonObject("object"));
            return new Fixture(name, event.toString().getBytes(StandardCharsets.UTF_8), newId);
        }

        /**
         * The same event under another id, the whole event changed by {@code change} (its envelope, such as
         * {@code account}, {@code livemode} or {@code type}, and its {@code data.object}), for stories the fixtures
         * do not tell. The body is written anew, compact.
         */
        public Fixture withEventChanged(String newId, Consumer<JsonObject> change) {
            JsonObject event = event();
            event.addProperty("id", newId);
            change.accept(event);
            return new Fixture(name, event.toString().getBytes(StandardCharsets.UTF_8), newId);
        }

        /** The same event created at another unix second; the body is written anew, compact. */
        public Fixture createdAt(long epochSecond) {
            JsonObject event = event();
            event.addProperty("created", epochSecond);
            return new Fixture(name, event.toString().getBytes(StandardCharsets.UTF_8), eventId);
        }

        private JsonObject event() {
            return JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject();
        }

        /** The same event under another id, e.g. to post it fresh in a test that must start from nothing. */
        public Fixture withEventId(String newId) {
            String text = new String(body, StandardCharsets.UTF_8);
            String changed = text.replaceFirst(Pattern.quote("\"id\": \"" + eventId + "\""),
                    Matcher.quoteReplacement("\"id\": \"" + newId + "\""));
            return new Fixture(name, changed.getBytes(StandardCharsets.UTF_8), newId);
        }
    }

    /** Every event file the index lists, in folder and file name order. */
    public static List<Fixture> all() {
        JsonObject index = JsonParser.parseString(new String(resource("index.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
        return index.getAsJsonArray("events").asList().stream()
                .map(JsonElement::getAsJsonObject)
                .map(entry -> entry.get("file").getAsString())
                .sorted(Comparator.naturalOrder())
                .map(StripeFixtures::get)
                .toList();
    }

    /** One fixture by its path relative to the fixtures folder, e.g. {@code acme/06_invoice.payment_succeeded.json}. */
    public static Fixture get(String name) {
        byte[] body = resource(name);
        Matcher m = EVENT_ID.matcher(new String(body, StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new IllegalStateException("no event id in fixture " + name);
        }
        return new Fixture(name, body, m.group(1));
    }

    private static byte[] resource(String name) {
        return testResource(FOLDER + name);
    }

    /** A file of billing-domain's test resources (or its test jar), from the class path. */
    static byte[] testResource(String path) {
        try (InputStream in = StripeFixtures.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no fixture " + path + " on the class path (billing-domain's test"
                        + " resources, or its test jar)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
