package io.billing.admin;

import io.billing.apikey.ApiKeys;
import io.billing.apikey.ApiScope;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The SaaS application's API keys (admins only): list, create, revoke; audited. A new key's secret is on the page
 * that created it and nowhere else: the bean lives for that request only, and the key is stored as a hash.
 */
@Named
@RequestScoped
public class ApiKeysBean {

    @Inject
    AdminFacade facade;

    @Inject
    AdminCaller caller;

    private String name;
    private List<String> scopes = new ArrayList<>(List.of(ApiScope.ENTITLEMENTS_READ.code(),
            ApiScope.SESSIONS_CREATE.code()));
    private String tenantId;
    private String reason;
    private ApiKeys.Issued created;

    public List<ApiKeys.KeyView> getKeys() throws SQLException {
        return facade.apiKeys();
    }

    public boolean isLegacyServiceToken() {
        return facade.legacyServiceToken();
    }

    /** Every scope's name, for the form. */
    public List<String> getAllScopes() {
        return ApiScope.codes(EnumSet.allOf(ApiScope.class));
    }

    public void create() throws SQLException {
        if (!caller.mayAct()) {
            return;
        }
        try {
            Set<ApiScope> chosen = ApiScope.parse(scopes == null ? "" : String.join(" ", scopes));
            created = facade.createApiKey(name, chosen, tenantId, caller.getName(),
                    blankToDefault("created in the admin"));
            AdminCaller.Messages.info("API key " + created.key().keyId() + " (" + created.key().name()
                    + ") created. Copy its secret now: it is not shown again.");
            name = null;
            tenantId = null;
        } catch (IllegalArgumentException e) {
            AdminCaller.Messages.error(e.getMessage());
        }
    }

    public void revoke(String keyId) throws SQLException {
        if (!caller.mayAct()) {
            return;
        }
        if (facade.revokeApiKey(keyId, caller.getName(), blankToDefault("revoked in the admin")).isPresent()) {
            AdminCaller.Messages.info("API key " + keyId + " is revoked: it is refused from now on.");
        } else {
            AdminCaller.Messages.error("No API key " + keyId + ".");
        }
    }

    private String blankToDefault(String fallback) {
        return reason == null || reason.isBlank() ? fallback : reason.trim();
    }

    /** The key created by this request, with its secret; null otherwise. */
    public ApiKeys.Issued getCreated() {
        return created;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public List<String> getScopes() {
        return scopes;
    }

    public void setScopes(List<String> scopes) {
        this.scopes = scopes;
    }

    public String getTenantId() {
        return tenantId;
    }

    public void setTenantId(String tenantId) {
        this.tenantId = tenantId;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }
}
