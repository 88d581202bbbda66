package io.billing.inbox;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Reads the envelope fields of a Stripe event from its raw body.
 *
 * <p>Only {@code id} and {@code type} are required (with {@code created}, which every Stripe event has and
 * which orders events later). Everything else is optional because older API versions and unknown
 * types must be stored too.
 *
 * <p>Every value that goes into a column of its own is checked here for what a database could refuse, so
 * that a signed body the inbox cannot store gets its own 400 naming the field, the same on PostgreSQL and on
 * H2, and never reaches a batch it shares with other requests (where it would fail them all, as a database
 * error): {@code created} must be a time between {@value #MIN_CREATED} and {@value #MAX_CREATED} (unix
 * seconds: 1970 to the end of 9999), and no text may hold a NUL character (PostgreSQL stores none) or half
 * of a UTF-16 surrogate pair (it has no UTF-8 form). Over-long optional fields are dropped rather than
 * refused: they are only query helpers, and the raw body keeps them.
 *
 * <p>A streaming read (Gson's, which stripe-java brings along) that skips everything it does not need:
 * building a full JSON-P tree of every event cost about 40% of the intake's CPU under load. The whole
 * document is still read to its end, so a truncated or trailing-garbage body is refused.
 */
public final class EventEnvelopeParser {

    static final int MAX_ID_LENGTH = 255;
    static final int MAX_TYPE_LENGTH = 255;
    static final int MAX_API_VERSION_LENGTH = 64;
    static final long MIN_CREATED = 0L;
    static final long MAX_CREATED = 253_402_300_799L;

    /** The fields of the event and of {@code data.object}, filled as the reader meets them. */
    private static final class Fields {
        String id;
        String type;
        String created;
        String apiVersion;
        boolean livemode;
        String account;
        String objectType;
        String objectId;
        String customerId;
    }

    /** Reads an event the webhook endpoint received. */
    public EventEnvelope parse(byte[] rawBody) throws MalformedEventException {
        return parse(rawBody, EventSource.WEBHOOK);
    }

    public EventEnvelope parse(byte[] rawBody, EventSource source) throws MalformedEventException {
        if (rawBody.length == 0) {
            throw new MalformedEventException("invalid_json", "The request body is empty; expected a Stripe event JSON object.");
        }
        Fields f = read(rawBody);
        String id = required(f.id, "id", MAX_ID_LENGTH);
        String type = required(f.type, "type", MAX_TYPE_LENGTH);
        Instant created = Instant.ofEpochSecond(inRange(requiredLong(f.created, "created"), "created"));
        boolean customerObject = "customer".equals(f.objectType);
        String customerId = customerObject ? f.objectId : f.customerId;
        return new EventEnvelope(id, type, bounded(f.apiVersion, "api_version", MAX_API_VERSION_LENGTH), f.livemode,
                bounded(f.account, "account", MAX_ID_LENGTH), created,
                bounded(f.objectType, "data.object.object", MAX_TYPE_LENGTH),
                bounded(f.objectId, "data.object.id", MAX_ID_LENGTH),
                bounded(customerId, customerObject ? "data.object.id" : "data.object.customer", MAX_ID_LENGTH),
                rawBody, source);
    }

    private static Fields read(byte[] rawBody) throws MalformedEventException {
        // Decode strictly: Stripe sends UTF-8, and a lenient decoder would silently accept garbage.
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (JsonReader json = new JsonReader(new InputStreamReader(new ByteArrayInputStream(rawBody), decoder))) {
            if (json.peek() != JsonToken.BEGIN_OBJECT) {
                throw new MalformedEventException("invalid_json", "The request body must be a JSON object (a Stripe event).");
            }
            Fields f = new Fields();
            json.beginObject();
            while (json.hasNext()) {
                switch (json.nextName()) {
                    case "id" -> f.id = stringOrSkip(json);
                    case "type" -> f.type = stringOrSkip(json);
                    case "created" -> f.created = numberOrSkip(json);
                    case "api_version" -> f.apiVersion = stringOrSkip(json);
                    case "livemode" -> f.livemode = json.peek() == JsonToken.BOOLEAN ? json.nextBoolean() : skip(json);
                    case "account" -> f.account = stringOrSkip(json);
                    case "data" -> readData(json, f);
                    default -> json.skipValue();
                }
            }
            json.endObject();
            if (json.peek() != JsonToken.END_DOCUMENT) {
                throw new MalformedEventException("invalid_json", "The request body has content after the JSON object.");
            }
            return f;
        } catch (CharacterCodingException e) {
            throw new MalformedEventException("invalid_json", "The request body is not valid UTF-8.");
        } catch (IllegalStateException | NumberFormatException | IOException e) {
            throw new MalformedEventException("invalid_json", "The request body is not valid JSON.");
        }
    }

    private static void readData(JsonReader json, Fields f) throws IOException {
        if (json.peek() != JsonToken.BEGIN_OBJECT) {
            json.skipValue();
            return;
        }
        json.beginObject();
        while (json.hasNext()) {
            if (json.nextName().equals("object") && json.peek() == JsonToken.BEGIN_OBJECT) {
                readObject(json, f);
            } else {
                json.skipValue();
            }
        }
        json.endObject();
    }

    /** {@code data.object}: its type, its id, and the customer it names (an id, or an expanded object). */
    private static void readObject(JsonReader json, Fields f) throws IOException {
        json.beginObject();
        while (json.hasNext()) {
            switch (json.nextName()) {
                case "object" -> f.objectType = stringOrSkip(json);
                case "id" -> f.objectId = stringOrSkip(json);
                case "customer" -> f.customerId = customerOf(json);
                default -> json.skipValue();
            }
        }
        json.endObject();
    }

    private static String customerOf(JsonReader json) throws IOException {
        if (json.peek() != JsonToken.BEGIN_OBJECT) {
            return stringOrSkip(json);
        }
        String id = null;
        json.beginObject();
        while (json.hasNext()) {
            if (json.nextName().equals("id")) {
                id = stringOrSkip(json);
            } else {
                json.skipValue();
            }
        }
        json.endObject();
        return id;
    }

    private static String stringOrSkip(JsonReader json) throws IOException {
        if (json.peek() == JsonToken.STRING) {
            return json.nextString();
        }
        json.skipValue();
        return null;
    }

    private static String numberOrSkip(JsonReader json) throws IOException {
        if (json.peek() == JsonToken.NUMBER) {
            return json.nextString();
        }
        json.skipValue();
        return null;
    }

    private static boolean skip(JsonReader json) throws IOException {
        json.skipValue();
        return false;
    }

    private static String required(String value, String field, int maxLength) throws MalformedEventException {
        if (value == null || value.isBlank()) {
            throw new MalformedEventException("missing_field", "The event has no string field '" + field + "'.");
        }
        if (value.length() > maxLength) {
            throw new MalformedEventException("invalid_field",
                    "The event field '" + field + "' is longer than " + maxLength + " characters.");
        }
        return storable(value, field);
    }

    private static long inRange(long seconds, String field) throws MalformedEventException {
        if (seconds < MIN_CREATED || seconds > MAX_CREATED) {
            throw new MalformedEventException("invalid_field", "The event field '" + field + "' (" + seconds
                    + ") is not a time between 1970 and 9999 in unix seconds.");
        }
        return seconds;
    }

    /** Refuses text no database column can hold as sent: a NUL character, or half of a surrogate pair. */
    private static String storable(String value, String field) throws MalformedEventException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                throw new MalformedEventException("invalid_field",
                        "The event field '" + field + "' contains a NUL character.");
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new MalformedEventException("invalid_field",
                        "The event field '" + field + "' contains an unpaired UTF-16 surrogate.");
            }
        }
        return value;
    }

    private static long requiredLong(String value, String field) throws MalformedEventException {
        if (value != null) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                // not an integer: fall through to the same answer as a missing field
            }
        }
        throw new MalformedEventException("missing_field", "The event has no integer field '" + field + "' (unix seconds).");
    }

    /**
     * Optional fields that are absurdly long are dropped rather than refused: they are only query helpers. One
     * that holds what no column can store is refused, like a required field.
     */
    private static String bounded(String value, String field, int maxLength) throws MalformedEventException {
        return value == null || value.length() > maxLength ? null : storable(value, field);
    }
}
