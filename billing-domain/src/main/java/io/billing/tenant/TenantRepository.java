package io.billing.tenant;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Tenants and their mappings. Every query that reads one tenant's data takes its {@link TenantId}. Two kinds of
 * query cannot: the look-ups by a Stripe id, which are how an event's tenant is found in the first place, and
 * the list of recently registered tenants, which is the operators' way into every tenant.
 */
public interface TenantRepository {

    /** The tenant, if it is registered. */
    Optional<Tenant> find(TenantId tenant);

    /** The most recently registered tenants, newest first (for operators, who see every tenant). */
    List<Tenant> recentlyRegistered(int limit);

    /**
     * Registers a tenant, named by its id, unless it is registered: concurrent registrations of one tenant
     * end in one row, whoever comes first.
     *
     * @return whether this call registered it
     */
    boolean register(TenantId tenant, Instant now) throws SQLException;

    /**
     * Registers a tenant as {@link #register} does, for a caller that need not know whether it was registered
     * before: written when the unit of work commits, with its other batched rows (a learnt mapping's tenant, on
     * the engine's path, would otherwise cost the event one more round trip).
     */
    void registerAtCommit(TenantId tenant, Instant now);

    /** The tenant a Stripe customer is mapped to. One look-up by primary key, answered from the persistence context when it holds the mapping. */
    Optional<TenantId> tenantOfCustomer(String customerId);

    /** The tenant a Stripe Connect account is mapped to. One look-up by primary key, as for customers. */
    Optional<TenantId> tenantOfAccount(String accountId);

    /**
     * A mapping, locked until the caller's transaction ends, so that two operators changing it one after
     * the other each see what the other left (and the audit log says so).
     */
    <M extends TenantMapping> Optional<M> lockMapping(Class<M> kind, String key);

    /**
     * Records a customer's mapping unless the customer has one, and says which: the mapping learnt from an event.
     * Concurrent workers may learn the same customer at once; the primary key decides, and the others change
     * nothing and are told the tenant it went to. One round trip on PostgreSQL, none when this unit of work has read
     * or written the customer's mapping before.
     *
     * @return empty when this mapping was recorded; else the tenant the customer was already mapped to
     */
    Optional<TenantId> mapUnlessMapped(CustomerMapping mapping) throws SQLException;

    /** Adds a new mapping, written with the caller's transaction (where the primary key refuses a second one). */
    void add(TenantMapping mapping);

    void remove(TenantMapping mapping);

    /** The tenant's customer mappings, by customer id. */
    List<CustomerMapping> customerMappings(TenantId tenant);

    /** The customer mapped to the tenant most recently, if any. */
    Optional<String> latestCustomer(TenantId tenant);
}
