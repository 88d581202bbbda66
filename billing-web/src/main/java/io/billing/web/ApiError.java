package io.billing.web;

import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The one error body of every endpoint: {@code {"error": "<code>", "message": "<what to do>"}}. Codes are
 * stable for scripts; messages are for people.
 */
public final class ApiError {

    /** Looked up once: {@code Json.create…} searches the class path for the provider on every call. */
    public static final JsonProvider JSON = JsonProvider.provider();

    private ApiError() {
    }

    public static Response.ResponseBuilder of(Response.Status status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body(code, message));
    }

    /** The answer when the database did not answer: nothing was changed, and the same request may be sent again. */
    public static Response databaseUnavailable() {
        return of(Response.Status.SERVICE_UNAVAILABLE, "database_unavailable",
                "The database could not answer; nothing was changed. Try again.").build();
    }

    public static JsonObject body(String code, String message) {
        return JSON.createObjectBuilder().add("error", code).add("message", message).build();
    }
}
