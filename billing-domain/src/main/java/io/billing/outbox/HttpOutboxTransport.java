package io.billing.outbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * POSTs the message's JSON payload to a fixed URL with an {@code Idempotency-Key} header. 2xx is delivered;
 * 408, 429 and 5xx are retried; any other 4xx is a permanent refusal.
 */
public final class HttpOutboxTransport implements OutboxTransport {

    private final HttpClient client;
    private final URI target;
    private final Duration timeout;

    public HttpOutboxTransport(URI target, Duration timeout) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.target = target;
        this.timeout = timeout;
    }

    /** The connection's timeout and the answer's, one after the other. */
    @Override
    public Duration timeLimit() {
        return timeout.multipliedBy(2);
    }

    @Override
    public Result deliver(OutboxMessage message) {
        HttpRequest request = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", message.idempotencyKey())
                .POST(HttpRequest.BodyPublishers.ofString(message.payload()))
                .build();
        try {
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return Result.ofHttpStatus(status, target.getHost());
        } catch (IOException e) {
            return new Result(false, false, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, false, null, "interrupted");
        }
    }
}
