package io.billing.stripe;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.nio.charset.StandardCharsets;

/**
 * A stored Stripe event body, parsed once for the tenant resolver and the handlers: its envelope and the
 * Stripe object it carries. Handlers read that object through the typed views of
 * {@link io.billing.stripe.view}, which know where each API version keeps a field.
 */
public final class StripeEventJson {

    private final JsonObject event;

    private StripeEventJson(JsonObject event) {
        this.event = event;
    }

    public static StripeEventJson parse(byte[] body) {
        return new StripeEventJson(JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject());
    }

    /** The whole event: its envelope and its data. */
    public JsonObject event() {
        return event;
    }

    /** {@code data.object}: the Stripe object as it was when the event was created. */
    public JsonObject dataObject() {
        return dataMember("object");
    }

    /** The object member {@code name} of {@code data}, or an empty object where either is missing. */
    private JsonObject dataMember(String name) {
        JsonElement data = event.get("data");
        JsonElement member = data != null && data.isJsonObject() ? data.getAsJsonObject().get(name) : null;
        return member != null && member.isJsonObject() ? member.getAsJsonObject() : new JsonObject();
    }
}
