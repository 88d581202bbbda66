package io.billing.web.admin;

import io.billing.connector.LicenceUsers;
import io.billing.entitlement.Entitlements;
import io.billing.entitlement.Licences;
import io.billing.ledger.LedgerAccount;
import io.billing.ledger.LedgerQueries;
import io.billing.ledger.Money;
import io.billing.subscription.SubscriptionQueries;
import io.billing.tenant.TenantId;
import io.billing.tenant.TenantQueries;
import io.billing.web.ApiError;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Read views of a tenant for scripts and finance: the tenant with its mappings, subscriptions, entitlements
 * and licences, and its
 * ledger (balances per currency, trial balance, the journal paged, or the journal as CSV). Amounts are
 * shown with the currency's own number of decimals.
 */
@Path("admin/tenants/{tenantId}")
@Tag(name = "operator")
@SecurityRequirement(name = "staff")
@RequestScoped
public class AdminTenantsResource {

    /** An amount for people and for scripts: {@code "49.00"}, 4900 minor units, {@code "USD"}. */
    public record Amount(String amount, long minorUnits, String currency) {
        static Amount of(Money money) {
            return new Amount(money.toMajor().toPlainString(), money.minorUnits(), money.currency().getCurrencyCode());
        }
    }

    public record Balance(String account, Amount debits, Amount credits, Amount balance) {
    }

    public record Line(String account, Amount debit, Amount credit) {
    }

    /** @param amount what the entry moves: the sum of its debits, which equals its credits' */
    public record Entry(long entryId, String businessKey, String sourceEventId, String description, String postedAt,
                        Amount amount, List<Line> lines) {
    }

    public record Ledger(String tenantId, List<Balance> balances, List<Amount> trialBalance, List<Entry> journal,
                         int page, int size, long total) {
    }

    /**
     * The tenant as operators see it: its record, mappings, subscriptions, what it may use now, its licences and its
     * customers' users in the licence service.
     */
    public record TenantView(String tenantId, String name, String status, Instant createdAt,
                             List<TenantQueries.Mapping> mappings, List<SubscriptionQueries.Summary> subscriptions,
                             List<Entitlements.Feature> entitlements, List<Licences.Licence> licences,
                             List<LicenceUsers.User> licenceUsers) {
    }

    @Inject
    TenantQueries tenants;

    @Inject
    SubscriptionQueries subscriptions;

    @Inject
    Entitlements entitlements;

    @Inject
    Licences licences;

    @Inject
    LicenceUsers licenceUsers;

    @Inject
    LedgerQueries ledger;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response tenant(@PathParam("tenantId") String tenantId) throws SQLException {
        Optional<TenantQueries.Tenant> found = tenants.tenant(TenantId.of(tenantId));
        if (found.isEmpty()) {
            return ApiError.of(Response.Status.NOT_FOUND, "tenant_not_found", "No tenant " + tenantId + ".").build();
        }
        TenantQueries.Tenant t = found.get();
        TenantId tenant = TenantId.of(t.tenantId());
        return Response.ok(new TenantView(t.tenantId(), t.name(), t.status(), t.createdAt(), t.mappings(),
                subscriptions.ofTenant(tenant), entitlements.current(tenant), licences.of(tenant),
                licenceUsers.of(tenant))).build();
    }

    @GET
    @Path("ledger")
    @Produces(MediaType.APPLICATION_JSON)
    public Response ledger(@PathParam("tenantId") String tenantId, @QueryParam("page") @DefaultValue("0") int page,
                           @QueryParam("size") @DefaultValue("50") int size) throws SQLException {
        List<Balance> balances = new ArrayList<>();
        for (Map<LedgerAccount, LedgerQueries.AccountBalance> perCurrency : ledger.balances(tenantId).values()) {
            for (LedgerQueries.AccountBalance b : perCurrency.values()) {
                balances.add(new Balance(b.account().name(), Amount.of(b.debits()), Amount.of(b.credits()),
                        Amount.of(b.normalBalance())));
            }
        }
        LedgerQueries.Journal journal = ledger.journal(tenantId, page, size);
        return Response.ok(new Ledger(tenantId, balances,
                ledger.trialBalance(tenantId).stream().map(Amount::of).toList(),
                journal.entries().stream().map(AdminTenantsResource::entry).toList(),
                journal.page(), journal.size(), journal.total())).build();
    }

    /** The whole journal as CSV, one row per line, amounts in major units with the currency's decimals. */
    @GET
    @Path("ledger.csv")
    @Produces("text/csv")
    public Response ledgerCsv(@PathParam("tenantId") String tenantId) throws SQLException {
        StringBuilder csv = new StringBuilder("entry_id,posted_at,business_key,source_event_id,currency,account,debit,credit\n");
        int page = 0;
        LedgerQueries.Journal journal;
        do {
            journal = ledger.journal(tenantId, page++, 1000);
            for (LedgerQueries.Entry e : journal.entries()) {
                for (LedgerQueries.Line line : e.lines()) {
                    csv.append(e.entryId()).append(',').append(e.postedAt()).append(',').append(csvText(e.businessKey()))
                            .append(',').append(csvText(e.sourceEventId())).append(',')
                            .append(currencyCode(e.currency())).append(',').append(line.account()).append(',')
                            .append(line.debit().toMajor().toPlainString()).append(',')
                            .append(line.credit().toMajor().toPlainString()).append('\n');
                }
            }
        } while ((long) page * 1000 < journal.total());
        return Response.ok(csv.toString(), "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"ledger-" + tenantId.replaceAll("[^\\w-]", "_")
                        + ".csv\"").build();
    }

    private static Entry entry(LedgerQueries.Entry e) {
        return new Entry(e.entryId(), e.businessKey(), e.sourceEventId(), e.description(), e.postedAt().toString(),
                Amount.of(e.amount()), e.lines().stream().map(l -> new Line(l.account().name(), Amount.of(l.debit()), Amount.of(l.credit())))
                        .toList());
    }

    private static String currencyCode(Currency currency) {
        return currency.getCurrencyCode();
    }

    /** Quotes a CSV field when it holds a comma, a quote or a line break. */
    private static String csvText(String value) {
        if (value == null) {
            return "";
        }
        return value.matches(".*[,\"\\n\\r].*") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
