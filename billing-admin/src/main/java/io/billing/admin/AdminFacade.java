package io.billing.admin;

import io.billing.apikey.ApiKeys;
import io.billing.apikey.ApiScope;
import io.billing.audit.AuditQueries;
import io.billing.connector.LicenceUsers;
import io.billing.connector.StoreOrderChecks;
import io.billing.entitlement.Entitlements;
import io.billing.entitlement.Licences;
import io.billing.entitlement.PlanCatalogue;
import io.billing.inbox.InboxStatus;
import io.billing.ledger.LedgerQueries;
import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.SchemaMigration;
import io.billing.processing.operator.EventFilter;
import io.billing.processing.operator.EventOperations;
import io.billing.processing.operator.FailureGroups;
import io.billing.processing.operator.EventQueries;
import io.billing.processing.operator.EventViews;
import io.billing.processing.operator.Misconfigurations;
import io.billing.processing.operator.OutboxOperations;
import io.billing.refusal.RefusedDeliveries;
import io.billing.staff.StaffAccounts;
import io.billing.staff.StaffLogins;
import io.billing.staff.StaffPasswords;
import io.billing.subscription.SubscriptionQueries;
import io.billing.tenant.TenantId;
import io.billing.tenant.TenantMappings;
import io.billing.tenant.TenantQueries;
import io.billing.trace.PaymentTrace;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What the admin's pages may ask of the domain, in one place: read models (records, never entities) and
 * the operator's actions, each taking who acts and why for the audit log.
 */
@ApplicationScoped
public class AdminFacade {

    @Inject
    EventQueries events;

    @Inject
    EventOperations operations;

    @Inject
    FailureGroups failureGroups;

    @Inject
    PaymentTrace traces;

    @Inject
    TenantMappings mappings;

    @Inject
    AuditQueries audit;

    @Inject
    StaffAccounts staff;

    @Inject
    StaffPasswords passwords;

    @Inject
    ApiKeys apiKeys;

    @Inject
    StaffLogins logins;

    @Inject
    OutboxOperations outbox;

    @Inject
    TenantQueries tenants;

    @Inject
    RefusedDeliveries refusals;

    @Inject
    Misconfigurations misconfigurations;

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

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    @Inject
    DataAccess data;

    @Inject
    Clock clock;

    /** Now, by the injected clock: what the pages' relative times count from. */
    public Instant now() {
        return clock.instant();
    }

    public EventViews.Overview overview() throws SQLException {
        return events.overview();
    }

    /**
     * Events received per hour over the last 24 hours (by the injected clock), by their status now: the current hour
     * and the 23 before it, hours without events left out.
     */
    public List<EventViews.HourCount> lastDay() throws SQLException {
        return events.receivedPerHour(firstOfLastDay());
    }

    /** When the latest event was received; null before the first. */
    public Instant lastReceivedAt() throws SQLException {
        return events.lastReceivedAt();
    }

    /** The first of the last 24 hours, the current one included. */
    public Instant firstOfLastDay() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.HOURS).minus(java.time.Duration.ofHours(23));
    }

    /** The webhook's refusals per hour and reason over the last {@code hours} hours, the current one included. */
    public RefusedDeliveries.Span refusals(int hours) throws SQLException {
        return refusals.lastHours(hours);
    }

    /** The latest refused deliveries kept, newest first. */
    public List<RefusedDeliveries.Refusal> latestRefusals(int limit) throws SQLException {
        return refusals.latest(limit);
    }

    /** What is set up wrong now, for the banner (read at most every few seconds). */
    public List<Misconfigurations.Warning> misconfigurations() {
        return misconfigurations.current();
    }

    /** Outbound messages not delivered, per status. */
    public java.util.Map<String, Long> undeliveredOutbox() throws SQLException {
        return outbox.undeliveredByStatus();
    }

    /** One keyset page of events (see {@link EventQueries#slice}). */
    public EventViews.Slice eventSlice(InboxStatus status, String type, String tenant, java.time.Instant from,
                                       java.time.Instant to, String search, EventViews.Cursor cursor, boolean older,
                                       int size) throws SQLException {
        return events.slice(new EventFilter(status, blankToNull(type), blankToNull(tenant), null, from, to, 0, 1),
                blankToNull(search), cursor, older, size);
    }

    /** One keyset page of events in the order asked for (see {@link EventQueries#slice(EventFilter, String,
     * EventViews.Order, boolean, EventViews.Cursor, boolean, int)}). */
    public EventViews.SortedSlice eventPage(InboxStatus status, String type, String tenant, Instant from, Instant to,
                                            String search, EventViews.Order order, boolean descending,
                                            EventViews.Cursor cursor, boolean forward, int size) throws SQLException {
        return events.slice(new EventFilter(status, blankToNull(type), blankToNull(tenant), null, from, to, 0, 1),
                blankToNull(search), order, descending, cursor, forward, size);
    }

    public Optional<EventViews.Detail> event(String eventId) throws SQLException {
        return events.detail(eventId);
    }

    public boolean retry(String eventId, String actor, String reason) throws SQLException {
        return operations.retry(eventId, actor, reason);
    }

    public boolean resolve(String eventId, String actor, String reason) throws SQLException {
        return operations.resolve(eventId, actor, reason);
    }

    public int retry(List<String> eventIds, String actor, String reason) throws SQLException {
        return operations.retry(eventIds, actor, reason);
    }

    /** The events that need attention (retrying after a failure, or dead), grouped by what went wrong. */
    public List<FailureGroups.Group> failureGroups() throws SQLException {
        return failureGroups.current();
    }

    /** How many events a group's retry would queue now. */
    public int failureGroupSize(String groupKey) throws SQLException {
        return failureGroups.eventIds(groupKey).size();
    }

    public int retryFailureGroup(String groupKey, String actor, String reason) throws SQLException {
        return failureGroups.retry(groupKey, actor, reason);
    }

    /** Retries every failed event, of one type and received since a time where given. */
    public int retryFailed(String type, java.time.Instant since, String actor, String reason) throws SQLException {
        return operations.retryFailed(blankToNull(type), since, actor, reason);
    }

    public List<OutboxOperations.MessageView> failedOutbox(int limit) throws SQLException {
        return outbox.list("FAILED", null, limit);
    }

    public boolean retryOutbox(String key, String actor, String reason)
            throws SQLException, OutboxOperations.NotRetryableException {
        return outbox.retry(key, actor, reason);
    }

    public List<StoreOrderChecks.StoreException> storeExceptions(int limit) throws SQLException {
        return StoreOrderChecks.exceptions(data, limit);
    }

    public boolean retryStoreCheck(String paymentKey, String actor, String reason) throws SQLException {
        return StoreOrderChecks.retry(data, clock, paymentKey, actor, reason);
    }

    public boolean resolveStoreCheck(String paymentKey, String actor, String reason) throws SQLException {
        return StoreOrderChecks.resolve(data, clock, paymentKey, actor, reason);
    }

    public PaymentTrace.Trace trace(String anyId) throws SQLException {
        return traces.trace(anyId.trim());
    }

    public Optional<String> tenantOfCustomer(String customerId) throws SQLException {
        return mappings.tenantOf(customerId.trim()).map(TenantId::value);
    }

    /** Sets a customer's tenant; returns how many parked events it re-queued. */
    public int mapCustomer(String customerId, String tenantId, String actor, String reason) throws SQLException {
        return mappings.put(customerId.trim(), tenantId.trim(), actor, reason);
    }

    public boolean unmapCustomer(String customerId, String actor, String reason) throws SQLException {
        return mappings.remove(customerId.trim(), actor, reason);
    }

    /** @throws IllegalArgumentException if the text cannot be a tenant id (too long) */
    public Optional<TenantQueries.Tenant> tenant(String tenantId) throws SQLException {
        return tenants.tenant(TenantId.of(tenantId));
    }

    /** A page of tenants, newest first, those whose id starts with {@code search} where given. */
    public TenantQueries.TenantPage tenants(String search, String after, int size) throws SQLException {
        return tenants.tenants(search, after, size);
    }

    /** A page of every customer's and Connect account's mapping, those whose id or tenant starts with {@code search}. */
    public TenantQueries.MappingPage mappings(String search, String after, int size) throws SQLException {
        return tenants.mappings(search, after, size);
    }

    public List<SubscriptionQueries.Summary> subscriptions(String tenantId) throws SQLException {
        return subscriptions.ofTenant(TenantId.of(tenantId));
    }

    public List<Entitlements.Feature> entitlements(String tenantId) throws SQLException {
        return entitlements.current(TenantId.of(tenantId));
    }

    public List<Licences.Licence> licences(String tenantId) throws SQLException {
        return licences.of(TenantId.of(tenantId));
    }

    public List<LicenceUsers.User> licenceUsers(String tenantId) throws SQLException {
        return licenceUsers.of(TenantId.of(tenantId));
    }

    public java.util.Map<java.util.Currency, java.util.Map<io.billing.ledger.LedgerAccount, LedgerQueries.AccountBalance>>
            balances(String tenantId) throws SQLException {
        return ledger.balances(tenantId);
    }

    public List<LedgerQueries.Entry> journal(String tenantId, int size) throws SQLException {
        return ledger.journal(tenantId, 0, size).entries();
    }

    /** The plan catalogue: product to the features it grants. */
    public java.util.Map<String, java.util.Set<String>> catalogue() throws SQLException {
        return PlanCatalogue.load(data).products();
    }

    public void setPlanFeatures(String productId, java.util.Set<String> features, String actor, String reason)
            throws SQLException {
        PlanCatalogue.setFeatures(data, clock, productId, features, actor, reason);
    }

    /** Sets another account's password, which its owner must change at the next login; ends its sessions. */
    public boolean setStaffPassword(String username, String password, String actor, String reason) throws SQLException {
        return staff.setPasswordHash(username, passwords.hash(password), actor, reason);
    }

    /**
     * The caller changes their own password, proving the current one (throttled like a login).
     *
     * @throws IllegalArgumentException for a new password that is too short or the same as the current one
     */
    public StaffLogins.Outcome changeOwnPassword(String username, String currentPassword, String newPassword,
                                                 String clientAddress) throws SQLException {
        return logins.changeOwnPassword(username, currentPassword, newPassword, clientAddress);
    }

    /** Whether the account's password was set by someone else and must be changed before anything else. */
    public boolean mustChangePassword(String username) throws SQLException {
        return staff.credentials(username).map(StaffAccounts.Credentials::mustChangePassword).orElse(false);
    }

    /** A page of the audit log, newest first; {@code olderThan} is the last id of the page before, or null. */
    public List<AuditQueries.Entry> audit(String term, Long olderThan, int limit) throws SQLException {
        return audit.search(term, olderThan, limit);
    }

    public List<StaffAccounts.StaffView> staff() throws SQLException {
        return staff.list();
    }

    public boolean createStaff(String username, String password, String role, String actor, String reason)
            throws SQLException {
        return staff.create(username, passwords.hash(password), role, actor, reason);
    }

    public boolean setStaffEnabled(String username, boolean enabled, String actor, String reason) throws SQLException {
        return staff.setEnabled(username, enabled, actor, reason);
    }

    public List<ApiKeys.KeyView> apiKeys() throws SQLException {
        return apiKeys.list();
    }

    /** Whether the legacy service token still opens the APIs (every tenant, every scope). */
    public boolean legacyServiceToken() {
        return apiKeys.legacyTokenConfigured();
    }

    /** Creates a key; the answer holds its secret, which is nowhere else. */
    public ApiKeys.Issued createApiKey(String name, java.util.Set<ApiScope> scopes, String tenantId, String actor,
                                      String reason) throws SQLException {
        return apiKeys.create(name, scopes, tenantId, actor, reason);
    }

    public Optional<ApiKeys.KeyView> revokeApiKey(String keyId, String actor, String reason) throws SQLException {
        return apiKeys.revoke(keyId, actor, reason);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
