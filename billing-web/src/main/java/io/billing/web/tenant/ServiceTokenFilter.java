package io.billing.web.tenant;

import io.billing.web.ApiError;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Lets the SaaS application in with {@code Authorization: Bearer <BILLING_SERVICE_TOKEN>}. Without a token
 * configured, nobody gets in. The comparison takes the same time however much of a guess is right.
 */
@Provider
@ServiceTokenRequired
@Priority(Priorities.AUTHENTICATION)
public class ServiceTokenFilter implements ContainerRequestFilter {

    @Inject
    @ConfigProperty(name = "billing.service-token")
    Optional<String> serviceToken;

    @Override
    public void filter(ContainerRequestContext request) {
        Optional<String> expected = serviceToken.filter(token -> !token.isBlank());
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        if (expected.isEmpty() || !MessageDigest.isEqual(expected.get().getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8))) {
            request.abortWith(ApiError.of(Response.Status.UNAUTHORIZED, "unauthorized",
                    "Present the service token as Authorization: Bearer <token>.")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"billing\"").build());
        }
    }
}
