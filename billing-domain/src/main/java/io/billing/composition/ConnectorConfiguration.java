package io.billing.composition;

import io.billing.connector.CommerceApi;
import io.billing.connector.LicenceApi;
import io.billing.connector.RatingApi;
import io.billing.platform.net.Destinations;
import io.billing.platform.net.PinnedHttpPost;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.client.ClientRequestFilter;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The connectors' MicroProfile Rest Clients, configured by key the MicroProfile way:
 * {@code <key>/mp-rest/url} (environment {@code <KEY>_MP_REST_URL}), {@code <key>/mp-rest/connectTimeout} and
 * {@code <key>/mp-rest/readTimeout} in milliseconds, plus an optional bearer token
 * {@code billing.connector.<key>.api-key}. A connector without a URL is off: nothing is written for it.
 *
 * <p>Tenants' callbacks are not MicroProfile Rest Clients: their URLs are the tenants' word, so they go through a
 * sender that connects only to public addresses it checked ({@link PinnedHttpPost}), unless
 * {@code billing.callbacks.allow-private-networks} (tests and development, whose receivers listen on 127.0.0.1).
 */
@ApplicationScoped
public class ConnectorConfiguration {

    private static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
    private static final long DEFAULT_READ_TIMEOUT_MS = 10_000;

    public Optional<RatingApi> rating() {
        return client(RatingApi.class, RatingApi.CONFIG_KEY);
    }

    public Optional<LicenceApi> licence() {
        return client(LicenceApi.class, LicenceApi.CONFIG_KEY);
    }

    public Optional<CommerceApi> commerce() {
        return client(CommerceApi.class, CommerceApi.CONFIG_KEY);
    }

    /** Where tenants' callbacks may lead: public addresses only, unless private networks are allowed. */
    public Destinations callbackDestinations() {
        boolean allowPrivate = ConfigProvider.getConfig()
                .getOptionalValue("billing.callbacks.allow-private-networks", Boolean.class).orElse(false);
        return allowPrivate ? Destinations.anyAddress() : Destinations.publicOnly();
    }

    /** Sends tenants' callbacks, with the default timeouts. */
    public PinnedHttpPost callbackSender() {
        return new PinnedHttpPost(callbackDestinations(), Duration.ofMillis(DEFAULT_CONNECT_TIMEOUT_MS),
                Duration.ofMillis(DEFAULT_READ_TIMEOUT_MS));
    }

    /** The longest one call of the connector of this key takes: its connect and read timeouts together. */
    public Duration timeLimit(String key) {
        Config config = ConfigProvider.getConfig();
        return Duration.ofMillis(connectTimeoutMillis(config, key) + readTimeoutMillis(config, key));
    }

    /** The longest one call of a tenant's callback takes: the default connect and read timeouts together. */
    public Duration callbackTimeLimit() {
        return Duration.ofMillis(DEFAULT_CONNECT_TIMEOUT_MS + DEFAULT_READ_TIMEOUT_MS);
    }

    private static long connectTimeoutMillis(Config config, String key) {
        return config.getOptionalValue(key + "/mp-rest/connectTimeout", Long.class).orElse(DEFAULT_CONNECT_TIMEOUT_MS);
    }

    private static long readTimeoutMillis(Config config, String key) {
        return config.getOptionalValue(key + "/mp-rest/readTimeout", Long.class).orElse(DEFAULT_READ_TIMEOUT_MS);
    }

    /** Whether the connector of this key has a URL, that is, is on; without building its client. */
    public boolean configured(String key) {
        return url(ConfigProvider.getConfig(), key).isPresent();
    }

    private static Optional<String> url(Config config, String key) {
        return config.getOptionalValue(key + "/mp-rest/url", String.class).filter(u -> !u.isBlank());
    }

    private static <T> Optional<T> client(Class<T> api, String key) {
        Config config = ConfigProvider.getConfig();
        Optional<String> url = url(config, key);
        if (url.isEmpty()) {
            return Optional.empty();
        }
        RestClientBuilder builder = RestClientBuilder.newBuilder()
                .baseUri(URI.create(url.get().trim()))
                .connectTimeout(connectTimeoutMillis(config, key), TimeUnit.MILLISECONDS)
                .readTimeout(readTimeoutMillis(config, key), TimeUnit.MILLISECONDS);
        config.getOptionalValue("billing.connector." + key + ".api-key", String.class).filter(k -> !k.isBlank())
                .ifPresent(token -> builder.register((ClientRequestFilter) request ->
                        request.getHeaders().putSingle("Authorization", "Bearer " + token.trim())));
        return Optional.of(builder.build(api));
    }
}
