package io.billing.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The realistic Stripe events in {@code shared/stripe-events} (beside the repository), read byte for byte.
 * The folder is found from the system property {@code it.fixtures}, else by walking up from the working
 * directory to a {@code shared/stripe-events} sibling.
 */
public final class StripeFixtures {

    private static final Pattern EVENT_ID = Pattern.compile("\"id\": \"(evt_[^\"]+)\"");

    private StripeFixtures() {
    }

    /** One fixture file: its path relative to the fixtures folder, its raw bytes and its event id. */
    public record Fixture(String name, byte[] body, String eventId) {

        /** The event's {@code data.object}, parsed (a copy the caller may change). */
        public com.google.gson.JsonObject dataObject() {
            return com.google.gson.JsonParser.parseString(new String(body, java.nio.charset.StandardCharsets.UTF_8))
                    .getAsJsonObject().getAsJsonObject("data").getAsJsonObject("object");
        }

        /** The same event under a new unique id {@code <prefix><random>}, for a test that must start from nothing. */
        public Fixture withFreshEventId(String prefix) {
            return withEventId(prefix + java.util.UUID.randomUUID().toString().replace("-", ""));
        }

        /** The same event under another id, e.g. to post it fresh in a test that must start from nothing. */
        public Fixture withEventId(String newId) {
            String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            String changed = text.replaceFirst(Pattern.quote("\"id\": \"" + eventId + "\""),
                    Matcher.quoteReplacement("\"id\": \"" + newId + "\""));
            return new Fixture(name, changed.getBytes(java.nio.charset.StandardCharsets.UTF_8), newId);
        }
    }

    public static Path directory() {
        String configured = System.getProperty("it.fixtures");
        if (configured != null && Files.isDirectory(Path.of(configured))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/stripe-events");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            Path sibling = dir.resolveSibling("shared/stripe-events");
            if (Files.isDirectory(sibling)) {
                return sibling;
            }
        }
        throw new IllegalStateException("shared/stripe-events not found; set -Dit.fixtures=<path>");
    }

    /** Every event file (not index.json, not the README), in folder and file name order. */
    public static List<Fixture> all() {
        Path root = directory();
        try (Stream<Path> files = Files.walk(root)) {
            List<Fixture> fixtures = new ArrayList<>();
            for (Path file : files.filter(p -> p.toString().endsWith(".json"))
                    .filter(p -> !p.getFileName().toString().equals("index.json"))
                    .sorted().toList()) {
                fixtures.add(read(root, file));
            }
            return fixtures;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One fixture by its path relative to the fixtures folder, e.g. {@code acme/06_invoice.payment_succeeded.json}. */
    public static Fixture get(String name) {
        Path root = directory();
        return read(root, root.resolve(name));
    }

    private static Fixture read(Path root, Path file) {
        try {
            byte[] body = Files.readAllBytes(file);
            Matcher m = EVENT_ID.matcher(new String(body, java.nio.charset.StandardCharsets.UTF_8));
            if (!m.find()) {
                throw new IllegalStateException("no event id in " + file);
            }
            return new Fixture(root.relativize(file).toString(), body, m.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
