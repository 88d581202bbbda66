package io.billing.outbox;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/**
 * A MicroProfile Rest Client call as an outbox delivery. The client's default exception mapper turns an
 * error status into a {@link WebApplicationException}; either way the status decides, as for every HTTP
 * receiver ({@link OutboxTransport.Result#ofHttpStatus}). A connection failure or timeout is retried.
 */
public final class RestClientCalls {

    /** One call of a rest client for a message. */
    @FunctionalInterface
    public interface Call {
        Response send(OutboxMessage message);
    }

    /** The answer of a call: status and body, whether the client threw or not. */
    public record Answer(int status, String body) {
    }

    private RestClientCalls() {
    }

    public static OutboxTransport transport(String receiver, Call call) {
        return message -> {
            try {
                return OutboxTransport.Result.ofHttpStatus(answer(call, message).status(), receiver);
            } catch (ProcessingException e) {
                return unreachable(receiver, e);
            }
        };
    }

    /** Calls and reads the answer; throws {@link ProcessingException} when the receiver could not be reached. */
    public static Answer answer(Call call, OutboxMessage message) {
        Response sent;
        try {
            sent = call.send(message);
        } catch (WebApplicationException e) {
            sent = e.getResponse();
        }
        Response response = sent;
        try (response) {
            String body = response.hasEntity() ? response.readEntity(String.class) : null;
            return new Answer(response.getStatus(), body);
        } catch (IllegalStateException e) { // the client already consumed the entity
            return new Answer(response.getStatus(), null);
        }
    }

    public static OutboxTransport.Result unreachable(String receiver, Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return new OutboxTransport.Result(false, false, null,
                receiver + " unreachable: " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
}
