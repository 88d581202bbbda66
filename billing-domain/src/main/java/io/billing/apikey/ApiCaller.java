package io.billing.apikey;

import io.billing.tenant.TenantId;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who presented a valid key: the key's id and name, what it may do and for which tenant. The legacy service token
 * is one such caller, with every scope, for every tenant.
 *
 * @param tenant the one tenant the key may act for, or null for every tenant
 */
public record ApiCaller(String keyId, String name, Set<ApiScope> scopes, TenantId tenant) {

    /** The id the legacy service token goes by in the audit log. */
    public static final String LEGACY_KEY_ID = "legacy-service-token";

    public ApiCaller {
        Objects.requireNonNull(keyId, "key id");
        scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
    }

    static ApiCaller legacy() {
        return new ApiCaller(LEGACY_KEY_ID, "BILLING_SERVICE_TOKEN", EnumSet.allOf(ApiScope.class), null);
    }

    public boolean may(ApiScope scope) {
        return scopes.contains(scope);
    }

    /** Whether the key may act for the tenant: it is bound to none, or to this one. */
    public boolean mayActFor(TenantId other) {
        return tenant == null || tenant.equals(other);
    }

    /** How the audit log names what the key did. */
    public String actor() {
        return "api-key:" + keyId;
    }
}
