package io.billing.connector;

import io.billing.tenant.TenantId;

import java.util.List;
import java.util.Optional;

/** The customers' licence service users. */
public interface LicenceUserRepository {

    /**
     * The customer's user, read under a row lock until the transaction ends; empty when it has none, or when it is
     * another tenant's (a customer mapped to another tenant since).
     */
    Optional<LicenceUser> findForUpdate(TenantId tenant, String customerId);

    /** Whether the customer has a user, of any tenant: a customer has one user, kept by its first tenant. */
    boolean exists(String customerId);

    /** The customer's user, if it is the tenant's. */
    Optional<LicenceUser> find(TenantId tenant, String customerId);

    void add(LicenceUser user);

    /** The tenant's customers that have a licence service user, by customer id. */
    List<LicenceUser> ofTenant(TenantId tenant);
}
