package io.billing.testsupport;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.nio.charset.StandardCharsets;

/**
 * Stripe objects of the fixtures' story rendered in the shapes of older API versions, for the tests of
 * version tolerance ({@code stripe-objects/<api version>/<object>.json} in billing-domain's test resources;
 * the folder's README says where each shape comes from). Apart from the event fixtures, so that what replays
 * every event does not meet them.
 */
public final class StripeObjects {

    /** Where the objects are on the class path. */
    public static final String FOLDER = "stripe-objects/";

    private StripeObjects() {
    }

    /** One object, parsed afresh (the caller may change it), e.g. {@code get("2024-06-20", "subscription.json")}. */
    public static JsonObject get(String apiVersion, String file) {
        byte[] body = StripeFixtures.testResource(FOLDER + apiVersion + "/" + file);
        return JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    /** The object as the body of a webhook event of its version, as an endpoint pinned to that version gets it. */
    public static byte[] event(String eventId, String type, String apiVersion, long created, JsonObject object) {
        JsonObject data = new JsonObject();
        data.add("object", object);
        JsonObject event = new JsonObject();
        event.addProperty("id", eventId);
        event.addProperty("object", "event");
        event.addProperty("api_version", apiVersion);
        event.addProperty("created", created);
        event.add("data", data);
        event.addProperty("livemode", false);
        event.addProperty("pending_webhooks", 1);
        event.addProperty("type", type);
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }
}
