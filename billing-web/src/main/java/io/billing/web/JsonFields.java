package io.billing.web;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/** Reading the optional fields of a JSON request body, with a 400's message for a field of the wrong type. */
public final class JsonFields {

    private JsonFields() {
    }

    /** A string field, or null when it is absent or null. */
    public static String text(JsonObject body, String field) {
        JsonValue value = body.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (value instanceof JsonString string) {
            return string.getString();
        }
        throw new IllegalArgumentException(field + " must be a string");
    }

    /** A boolean field, false when it is absent or null. */
    public static boolean flag(JsonObject body, String field) {
        JsonValue value = body.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return false;
        }
        if (value.getValueType() == JsonValue.ValueType.TRUE || value.getValueType() == JsonValue.ValueType.FALSE) {
            return value.getValueType() == JsonValue.ValueType.TRUE;
        }
        throw new IllegalArgumentException(field + " must be true or false");
    }
}
