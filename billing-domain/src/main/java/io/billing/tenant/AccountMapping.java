package io.billing.tenant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * The tenant every event of a Stripe Connect account belongs to. Set by operators; it outranks the
 * customer's mapping, and what an event names must agree with it.
 */
@Entity
@Table(name = "tenant_account_mapping")
public class AccountMapping extends TenantMapping {

    @Id
    @Column(name = "account_id")
    private String accountId;

    /** For the persistence provider only. */
    protected AccountMapping() {
    }

    public AccountMapping(String accountId, TenantId tenant, String source, Instant now) {
        super(tenant, source, now);
        this.accountId = requireKey(accountId, "account id");
    }

    public String accountId() {
        return accountId;
    }

    @Override
    public String key() {
        return accountId;
    }
}
