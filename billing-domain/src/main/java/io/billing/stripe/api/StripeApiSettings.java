package io.billing.stripe.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the Stripe API.
 *
 * @param apiKey            the secret key ({@code sk_…} or a restricted {@code rk_…}); never logged
 * @param apiBase           {@code https://api.stripe.com}, or a local fake in tests
 * @param connectTimeout    to open a connection
 * @param readTimeout       to wait for an answer
 * @param maxNetworkRetries how often stripe-java itself retries connection failures, 409s and 5xx, with the
 *                          same idempotency key (so a retried write is never applied twice)
 */
public record StripeApiSettings(String apiKey, String apiBase, Duration connectTimeout, Duration readTimeout,
                                int maxNetworkRetries) {

    public static final String DEFAULT_API_BASE = "https://api.stripe.com";

    public StripeApiSettings {
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(apiBase, "apiBase");
    }

    /**
     * The longest one call takes before it gives up: every try's connect and read timeouts, and stripe-java's
     * pauses between the tries (each at most its {@code HttpClient.maxNetworkRetriesDelay}).
     */
    public Duration callTimeLimit() {
        return connectTimeout.plus(readTimeout).multipliedBy(maxNetworkRetries + 1L)
                .plus(com.stripe.net.HttpClient.maxNetworkRetriesDelay.multipliedBy(maxNetworkRetries));
    }

    @Override
    public String toString() {
        return "StripeApiSettings[apiBase=" + apiBase + ", apiKey=<redacted>]";
    }
}
