package io.billing.stripe;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.nio.charset.StandardCharsets;

/**
 * Read access to a stored Stripe event body for handlers. Handlers read the fields they need from the
 * JSON rather than through stripe-java's typed model, because events of other API versions (older
 * endpoints, {@code basil}) come back from stripe-java with an empty object, while their JSON still
 * carries what we need.
 */
public final class StripeEventJson {

    private final JsonObject event;

    private StripeEventJson(JsonObject event) {
        this.event = event;
    }

    public static StripeEventJson parse(byte[] body) {
        return new StripeEventJson(JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject());
    }

    /** {@code data.object}: the Stripe object as it was when the event was created. */
    public JsonObject dataObject() {
        JsonObject data = object(event, "data");
        JsonObject object = data == null ? null : object(data, "object");
        return object == null ? new JsonObject() : object;
    }

    /** {@code data.previous_attributes} of an {@code *.updated} event, or an empty object. */
    public JsonObject previousAttributes() {
        JsonObject data = object(event, "data");
        JsonObject previous = data == null ? null : object(data, "previous_attributes");
        return previous == null ? new JsonObject() : previous;
    }

    /** The string at a path of member names below {@code start}, or null where any step is missing. */
    public static String string(JsonObject start, String... path) {
        JsonObject at = start;
        for (int i = 0; i < path.length - 1 && at != null; i++) {
            at = object(at, path[i]);
        }
        if (at == null) {
            return null;
        }
        JsonElement value = at.get(path[path.length - 1]);
        return value == null || !value.isJsonPrimitive() ? null : value.getAsString();
    }

    /** The object member {@code name}, or null when missing, null or not an object. */
    public static JsonObject object(JsonObject parent, String name) {
        JsonElement value = parent.get(name);
        return value != null && value.isJsonObject() ? value.getAsJsonObject() : null;
    }
}
