package io.billing.web.apikey;

import io.billing.apikey.ApiCaller;
import io.billing.apikey.ApiKeys;
import io.billing.apikey.ApiScope;
import io.billing.web.ApiError;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.lang.reflect.AnnotatedElement;
import java.sql.SQLException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lets the SaaS application in with {@code Authorization: Bearer <API key>}: a key that exists and is not revoked
 * (read from the database on every request, so a revocation holds at once), or the legacy service token while it
 * is configured. Unknown or revoked: 401. A key without the scope the endpoint needs: 403. Whether the key may act
 * for the tenant a request names is the resource's to check ({@link ApiKeyAccess#forTenant}), since only the
 * resource knows where the tenant is named. Nothing presented is ever logged.
 */
@Provider
@ApiKeyRequired
@Priority(Priorities.AUTHENTICATION)
public class ApiKeyFilter implements ContainerRequestFilter {

    private static final Logger LOG = Logger.getLogger(ApiKeyFilter.class.getName());

    @Inject
    ApiKeys keys;

    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim() : "";
        Optional<ApiCaller> caller;
        try {
            caller = keys.authenticate(presented);
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "API key check failed on the database", e);
            request.abortWith(ApiError.databaseUnavailable());
            return;
        }
        if (caller.isEmpty()) {
            request.abortWith(ApiError.of(Response.Status.UNAUTHORIZED, "unauthorized",
                    "Present a valid API key as Authorization: Bearer <key>; this one is missing, unknown or revoked.")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"billing\"").build());
            return;
        }
        for (ApiScope scope : requiredScopes()) {
            if (!caller.get().may(scope)) {
                request.abortWith(ApiKeyAccess.missingScope(caller.get(), scope, "this request"));
                return;
            }
        }
        request.setSecurityContext(new ApiKeyAccess(caller.get(), request.getSecurityContext().isSecure()));
    }

    /** The method's scopes, or its class's where the method names none. */
    private ApiScope[] requiredScopes() {
        ApiScope[] scopes = scopes(resource.getResourceMethod());
        return scopes.length > 0 ? scopes : scopes(resource.getResourceClass());
    }

    private static ApiScope[] scopes(AnnotatedElement element) {
        ApiKeyRequired required = element == null ? null : element.getAnnotation(ApiKeyRequired.class);
        return required == null ? new ApiScope[0] : required.value();
    }
}
