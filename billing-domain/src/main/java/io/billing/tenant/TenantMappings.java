package io.billing.tenant;

import io.billing.audit.AuditEntry;
import io.billing.audit.JpaAuditLog;
import io.billing.inbox.InboxRequeue;
import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.DatabaseFailures;
import io.billing.platform.persistence.UnitOfWork;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Customer-to-tenant and Connect-account-to-tenant mappings. A customer's mapping is learnt from the first
 * event that names both (see {@link StripeTenantResolver}), recorded for a customer this service created, or
 * set by an operator; an account's only by an operator. Either way the events parked as UNMAPPED for that
 * customer or account go back to the queue in the same transaction, the tenant is registered if it is new,
 * and the change is audited with who (an operator, or {@code stripe} and the event), when, before and after.
 */
public class TenantMappings {

    /** Re-queues the events parked for one key of a kind of mapping, in the caller's transaction. */
    @FunctionalInterface
    private interface ParkedRequeue {
        int requeue(Connection connection, String key, Instant now, String reason) throws SQLException;
    }

    /** Makes a new mapping of a kind. */
    @FunctionalInterface
    private interface NewMapping<M extends TenantMapping> {
        M of(String key, TenantId tenant, String source, Instant now);
    }

    /**
     * A kind of mapping: its entity, how a new one is made, how the events parked for a key are re-queued,
     * and its names in the audit log.
     */
    private record Kind<M extends TenantMapping>(Class<M> entity, NewMapping<M> create, ParkedRequeue parked,
                                                 String targetType, String actionPrefix) {
    }

    private static final Kind<CustomerMapping> CUSTOMER = new Kind<>(CustomerMapping.class, CustomerMapping::new,
            InboxRequeue::parkedForCustomer, "customer", "MAPPING");
    private static final Kind<AccountMapping> ACCOUNT = new Kind<>(AccountMapping.class, AccountMapping::new,
            InboxRequeue::parkedForAccount, "account", "ACCOUNT_MAPPING");

    private final DataAccess data;
    private final Clock clock;

    public TenantMappings(DataAccess data, Clock clock) {
        this.data = data;
        this.clock = clock;
    }

    /**
     * The node's time, for what resolving an event records (a learnt mapping, its audit entry): a record of what
     * happened, not a lease.
     */
    Instant now() {
        return clock.instant();
    }

    /** The tenant a customer is mapped to. */
    public Optional<TenantId> tenantOf(String customerId) throws SQLException {
        return DatabaseFailures.read(data, entityManager -> new JpaTenantRepository(entityManager)
                .tenantOfCustomer(customerId));
    }

    /** The tenant a Stripe Connect account is mapped to. */
    public Optional<TenantId> tenantOfAccount(String accountId) throws SQLException {
        return DatabaseFailures.read(data, entityManager -> new JpaTenantRepository(entityManager)
                .tenantOfAccount(accountId));
    }

    /**
     * The Stripe customer a tenant pays as: the one mapped to it most recently. A tenant is one customer for
     * Checkout and the Billing Portal; older mappings still resolve their events.
     */
    public Optional<String> customerOf(TenantId tenant) throws SQLException {
        return DatabaseFailures.read(data, entityManager -> new JpaTenantRepository(entityManager)
                .latestCustomer(tenant));
    }

    /** The tenant's registered name (its id until someone renames it), if it is registered. */
    public Optional<String> nameOf(TenantId tenant) throws SQLException {
        return DatabaseFailures.read(data, entityManager -> new JpaTenantRepository(entityManager).find(tenant)
                .map(Tenant::name));
    }

    /** Records the customer this service created in Stripe for a tenant (for its first Checkout). */
    public void recordCreatedCustomer(String customerId, TenantId tenant) throws SQLException {
        DatabaseFailures.inTransaction(data, unit -> {
            learn(unit, customerId, tenant, "customer created for checkout", clock.instant());
            return null;
        });
    }

    /**
     * Registers a tenant that a caller names before any Stripe event has (a checkout that asks for it), in the
     * caller's unit of work; audited when it is new.
     *
     * @return whether the tenant was new
     */
    public boolean register(UnitOfWork unit, TenantId tenant, String actor, String reason) throws SQLException {
        requireText(actor, "actor");
        Instant now = clock.instant();
        if (!new JpaTenantRepository(unit.entityManager()).register(tenant, now)) {
            return false;
        }
        audit(unit, new AuditEntry(now, actor, "REGISTER_TENANT", "tenant", tenant.value(), null, Tenant.ACTIVE,
                reason));
        return true;
    }

    /**
     * Records a mapping read from an event, in the event's unit of work, unless the customer has one; a new
     * mapping registers its tenant, is audited and re-queues the customer's parked events.
     *
     * @return empty when this mapping was recorded; else the tenant the customer was already mapped to
     */
    Optional<TenantId> learn(UnitOfWork unit, String customerId, TenantId tenant, String source, Instant now)
            throws SQLException {
        TenantRepository tenants = new JpaTenantRepository(unit.entityManager());
        Optional<TenantId> before = tenants.mapUnlessMapped(new CustomerMapping(customerId, tenant, source, now));
        if (before.isEmpty()) {
            tenants.registerAtCommit(tenant, now);
            audit(unit, new AuditEntry(now, "stripe", "MAPPING_LEARNT", CUSTOMER.targetType(), customerId, null,
                    tenant.value(), source));
            InboxRequeue.parkedAwaitingAtCommit(unit.entityManager(), customerId, now,
                    "re-queued: customer " + customerId + " mapped to " + tenant + " by " + source);
        }
        return before;
    }

    /**
     * Sets (adds or changes) a customer's mapping by hand. Returns the number of parked events re-queued.
     */
    public int put(String customerId, String tenantId, String actor, String reason) throws SQLException {
        return set(CUSTOMER, customerId, tenantId, actor, reason);
    }

    /** Removes a customer's mapping by hand. Returns false if there was none. */
    public boolean remove(String customerId, String actor, String reason) throws SQLException {
        return delete(CUSTOMER, customerId, actor, reason);
    }

    /**
     * Maps every event of a Stripe Connect account to a tenant, by hand; re-queues the account's parked
     * events. Returns how many were re-queued.
     */
    public int putAccount(String accountId, String tenantId, String actor, String reason) throws SQLException {
        return set(ACCOUNT, accountId, tenantId, actor, reason);
    }

    /** Removes a Connect account's mapping by hand. Returns false if there was none. */
    public boolean removeAccount(String accountId, String actor, String reason) throws SQLException {
        return delete(ACCOUNT, accountId, actor, reason);
    }

    /** Adds or changes a mapping by hand, audited; re-queues the events parked for its key. */
    private <M extends TenantMapping> int set(Kind<M> kind, String key, String tenantId, String actor, String reason)
            throws SQLException {
        requireText(key, kind.targetType() + " id");
        requireText(tenantId, "tenant id");
        requireText(actor, "actor");
        TenantId tenant = TenantId.of(tenantId);
        return DatabaseFailures.inTransaction(data, unit -> {
            Instant now = clock.instant();
            TenantRepository tenants = new JpaTenantRepository(unit.entityManager());
            Optional<M> mapping = tenants.lockMapping(kind.entity(), key);
            TenantId before = mapping.map(TenantMapping::tenant).orElse(null);
            if (tenant.equals(before)) {
                return 0;
            }
            String source = "operator " + actor;
            if (mapping.isPresent()) {
                mapping.get().reassign(tenant, source, now);
            } else {
                tenants.add(kind.create().of(key, tenant, source, now));
            }
            tenants.registerAtCommit(tenant, now);
            audit(unit, new AuditEntry(now, actor, kind.actionPrefix() + (before == null ? "_ADDED" : "_CHANGED"),
                    kind.targetType(), key, before == null ? null : before.value(), tenant.value(), reason));
            return kind.parked().requeue(unit.connection(), key, now,
                    "re-queued: " + kind.targetType() + " " + key + " mapped to " + tenant + " by " + actor);
        });
    }

    /** Removes a mapping by hand, audited. Returns false if there was none. */
    private <M extends TenantMapping> boolean delete(Kind<M> kind, String key, String actor, String reason)
            throws SQLException {
        requireText(key, kind.targetType() + " id");
        requireText(actor, "actor");
        return DatabaseFailures.inTransaction(data, unit -> {
            TenantRepository tenants = new JpaTenantRepository(unit.entityManager());
            Optional<M> mapping = tenants.lockMapping(kind.entity(), key);
            if (mapping.isEmpty()) {
                return false;
            }
            tenants.remove(mapping.get());
            audit(unit, new AuditEntry(clock.instant(), actor, kind.actionPrefix() + "_REMOVED", kind.targetType(), key,
                    mapping.get().tenant().value(), null, reason));
            return true;
        });
    }

    private static void audit(UnitOfWork unit, AuditEntry entry) throws SQLException {
        new JpaAuditLog(unit.entityManager()).append(entry);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank() || value.length() > 255) {
            throw new IllegalArgumentException(name + " must be 1 to 255 characters");
        }
    }
}
