package io.billing.admin;

import io.billing.connector.LicenceUsers;
import io.billing.entitlement.Entitlements;
import io.billing.entitlement.Licences;
import io.billing.ledger.LedgerQueries;
import io.billing.subscription.SubscriptionQueries;
import io.billing.tenant.TenantQueries;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The tenants, newest first, searched by the start of their id, a page at a time (the search and the page in the
 * URL); and a tenant for support and finance: its mappings, subscriptions, what it may use now, its licences and its
 * customers' users in the licence service, its
 * ledger balances per currency (the normal side, with the currency's decimals) and the latest journal
 * entries; the whole journal as CSV through the operator API.
 */
@Named
@RequestScoped
public class TenantBean {

    @Inject
    AdminFacade facade;

    static final int PAGE_SIZE = 50;
    static final String PAGE = "/admin/tenant.xhtml";

    private String id;
    private String search;
    private String after;
    private TenantQueries.TenantPage list;
    private TenantQueries.Tenant tenant;
    private List<SubscriptionQueries.Summary> subscriptions = List.of();
    private List<Entitlements.Feature> features = List.of();
    private List<Licences.Licence> licences = List.of();
    private List<LicenceUsers.User> licenceUsers = List.of();
    private final List<LedgerQueries.AccountBalance> balances = new ArrayList<>();
    private List<LedgerQueries.Entry> journal = List.of();

    public void load() {
        if (id == null || id.isBlank()) {
            return;
        }
        try {
            tenant = facade.tenant(id.trim()).orElse(null);
            if (tenant == null) {
                AdminCaller.Messages.error("No tenant " + id.trim() + ".");
                return;
            }
            subscriptions = facade.subscriptions(tenant.tenantId());
            features = facade.entitlements(tenant.tenantId());
            licences = facade.licences(tenant.tenantId());
            licenceUsers = facade.licenceUsers(tenant.tenantId());
            for (Map<?, LedgerQueries.AccountBalance> perCurrency : facade.balances(tenant.tenantId()).values()) {
                balances.addAll(perCurrency.values());
            }
            journal = facade.journal(tenant.tenantId(), 50);
        } catch (SQLException e) {
            AdminCaller.Messages.databaseFailed(e);
        } catch (IllegalArgumentException e) {
            AdminCaller.Messages.error(e.getMessage());
        }
    }

    /** Without a tenant's id: a page of the tenants, newest first, those whose id starts with the search. */
    public TenantQueries.TenantPage getList() {
        if (list == null) {
            try {
                list = facade.tenants(search, after, PAGE_SIZE);
            } catch (IllegalArgumentException e) {
                AdminCaller.Messages.error(e.getMessage());
                list = new TenantQueries.TenantPage(List.of(), null);
            } catch (SQLException e) {
                AdminCaller.Messages.databaseFailed(e);
                list = new TenantQueries.TenantPage(List.of(), null);
            }
        }
        return list;
    }

    /** The URL of the list's next page, or null on its last. */
    public String getNextUrl() {
        String next = getList().next();
        return next == null ? null : AdminLinks.url(PAGE, Map.of("search", search == null ? "" : search, "after", next));
    }

    /** The search form's button: the first page of the tenants found, at its own URL. */
    public void find() {
        AdminLinks.redirect(AdminLinks.url(PAGE, Map.of("search", search == null ? "" : search)));
    }

    public String getSearch() {
        return search;
    }

    public void setSearch(String search) {
        this.search = search;
    }

    public String getAfter() {
        return after;
    }

    public void setAfter(String after) {
        this.after = after;
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public TenantQueries.Tenant getTenant() {
        return tenant;
    }

    public List<SubscriptionQueries.Summary> getSubscriptions() {
        return subscriptions;
    }

    public List<Entitlements.Feature> getFeatures() {
        return features;
    }

    public List<Licences.Licence> getLicences() {
        return licences;
    }

    public List<LicenceUsers.User> getLicenceUsers() {
        return licenceUsers;
    }

    public List<LedgerQueries.AccountBalance> getBalances() {
        return balances;
    }

    public List<LedgerQueries.Entry> getJournal() {
        return journal;
    }
}
