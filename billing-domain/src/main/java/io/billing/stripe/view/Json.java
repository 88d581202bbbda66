package io.billing.stripe.view;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads values at a path of member names in a Stripe object, answering null wherever a step is missing,
 * null or of another kind: Stripe leaves fields out or sets them to null from one API version to another,
 * and a view must not fail on a field an older or newer version does not have.
 */
final class Json {

    private Json() {
    }

    /** The element at the path below {@code start}, or null. */
    static JsonElement at(JsonObject start, String... path) {
        JsonElement at = start;
        for (String name : path) {
            if (at == null || !at.isJsonObject()) {
                return null;
            }
            at = at.getAsJsonObject().get(name);
        }
        return at == null || at.isJsonNull() ? null : at;
    }

    /** The object at the path, or null. */
    static JsonObject object(JsonObject start, String... path) {
        JsonElement value = at(start, path);
        return value != null && value.isJsonObject() ? value.getAsJsonObject() : null;
    }

    /** The string (or other primitive, as text) at the path, or null. */
    static String text(JsonObject start, String... path) {
        JsonElement value = at(start, path);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : null;
    }

    /**
     * The id an expandable reference names: Stripe sends either the id or, when expanded, the whole object
     * with its {@code id}.
     */
    static String reference(JsonObject start, String... path) {
        JsonElement value = at(start, path);
        if (value != null && value.isJsonObject()) {
            return text(value.getAsJsonObject(), "id");
        }
        return value != null && value.isJsonPrimitive() ? value.getAsString() : null;
    }

    /** The integer at the path, or null. */
    static Long whole(JsonObject start, String... path) {
        JsonElement value = at(start, path);
        return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()
                ? value.getAsLong() : null;
    }

    /** The unix time (seconds) at the path as an instant, or null. */
    static Instant epoch(JsonObject start, String... path) {
        Long seconds = whole(start, path);
        return seconds == null ? null : Instant.ofEpochSecond(seconds);
    }

    /** The boolean at the path, or null. */
    static Boolean flag(JsonObject start, String... path) {
        JsonElement value = at(start, path);
        return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean()
                ? value.getAsBoolean() : null;
    }

    /**
     * The objects of the list at the path: a Stripe list object's {@code data}, or a plain array (as a
     * dispute's {@code balance_transactions}); empty when there is none.
     */
    static List<JsonObject> objects(JsonObject start, String... path) {
        JsonElement value = at(start, path);
        if (value != null && value.isJsonObject()) {
            value = at(value.getAsJsonObject(), "data");
        }
        List<JsonObject> objects = new ArrayList<>();
        if (value instanceof JsonArray array) {
            for (JsonElement element : array) {
                if (element.isJsonObject()) {
                    objects.add(element.getAsJsonObject());
                }
            }
        }
        return objects;
    }

    /** The first of the values that is not null (the newest place a field is kept first), or null. */
    @SafeVarargs
    static <T> T first(T... candidates) {
        for (T candidate : candidates) {
            if (candidate != null) {
                return candidate;
            }
        }
        return null;
    }
}
