package io.billing.tenant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A Stripe customer's tenant: learnt from the first event that names both, recorded for a customer this
 * service created, or set by an operator. The resolver looks it up for every event of the customer.
 */
@Entity
@Table(name = "tenant_mapping")
@NamedQuery(name = CustomerMapping.OF_TENANT,
        query = "SELECT m FROM CustomerMapping m WHERE m.tenant = :tenant ORDER BY m.customerId")
@NamedQuery(name = CustomerMapping.CUSTOMERS_OF_TENANT_LATEST_FIRST,
        query = "SELECT m.customerId FROM CustomerMapping m WHERE m.tenant = :tenant"
                + " ORDER BY m.updatedAt DESC, m.customerId")
public class CustomerMapping extends TenantMapping {

    static final String OF_TENANT = "CustomerMapping.ofTenant";
    static final String CUSTOMERS_OF_TENANT_LATEST_FIRST = "CustomerMapping.customersOfTenantLatestFirst";

    @Id
    @Column(name = "customer_id")
    private String customerId;

    /** For the persistence provider only. */
    protected CustomerMapping() {
    }

    public CustomerMapping(String customerId, TenantId tenant, String source, Instant now) {
        super(tenant, source, now);
        this.customerId = requireKey(customerId, "customer id");
    }

    public String customerId() {
        return customerId;
    }

    @Override
    public String key() {
        return customerId;
    }
}
