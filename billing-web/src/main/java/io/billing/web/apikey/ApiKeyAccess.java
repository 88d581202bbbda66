package io.billing.web.apikey;

import io.billing.apikey.ApiCaller;
import io.billing.apikey.ApiScope;
import io.billing.tenant.TenantId;
import io.billing.web.ApiError;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.security.Principal;

/**
 * The request's security context once {@link ApiKeyFilter} let a key in: the key is the principal, its scopes are
 * its roles. Resources ask it whether the key may act for the tenant the request names.
 */
public final class ApiKeyAccess implements SecurityContext {

    /** The key as the request's principal, named by its id (the audit log's actor is {@link ApiCaller#actor}). */
    private record KeyPrincipal(ApiCaller caller) implements Principal {
        @Override
        public String getName() {
            return caller.keyId();
        }
    }

    private final KeyPrincipal principal;
    private final boolean secure;

    ApiKeyAccess(ApiCaller caller, boolean secure) {
        this.principal = new KeyPrincipal(caller);
        this.secure = secure;
    }

    /** The key that made the request; the filter has run for every resource that asks. */
    public static ApiCaller caller(SecurityContext security) {
        if (security != null && security.getUserPrincipal() instanceof KeyPrincipal key) {
            return key.caller();
        }
        throw new IllegalStateException("no API key on this request: is the resource marked @ApiKeyRequired?");
    }

    /**
     * The key, if it may act for the tenant: a key bound to another tenant gets 403 {@code tenant_not_allowed}.
     *
     * @throws IllegalArgumentException for a missing or malformed tenant id (answered 400)
     */
    public static ApiCaller forTenant(SecurityContext security, String tenantId) {
        if (tenantId == null || tenantId.isBlank()) {
            throw new IllegalArgumentException("tenant_id is required");
        }
        ApiCaller caller = caller(security);
        if (!caller.mayActFor(TenantId.of(tenantId))) {
            throw new ForbiddenException(ApiError.of(Response.Status.FORBIDDEN, "tenant_not_allowed", "API key "
                    + caller.keyId() + " may act for tenant " + caller.tenant() + " only, not for " + tenantId + ".")
                    .build());
        }
        return caller;
    }

    /** 403 {@code missing_scope} unless the key holds the scope: for what only some requests of an endpoint need. */
    public static void requireScope(ApiCaller caller, ApiScope scope, String what) {
        if (!caller.may(scope)) {
            throw new ForbiddenException(missingScope(caller, scope, what));
        }
    }

    /** The 403 for a key without a scope that {@code what} (a request, a field of it) needs. */
    static Response missingScope(ApiCaller caller, ApiScope scope, String what) {
        return ApiError.of(Response.Status.FORBIDDEN, "missing_scope", "API key " + caller.keyId()
                + " lacks the scope " + scope.code() + ", which " + what + " needs.").build();
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public boolean isUserInRole(String role) {
        return principal.caller().scopes().stream().anyMatch(scope -> scope.code().equals(role));
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public String getAuthenticationScheme() {
        return "Bearer";
    }
}
