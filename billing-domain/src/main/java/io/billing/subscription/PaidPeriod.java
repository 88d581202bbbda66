package io.billing.subscription;

import io.billing.tenant.TenantId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * The service period a paid invoice of a subscription covers, by its end: a paid renewal extends access to
 * that end at once, even before (or without) the subscription update that moves the period. Part of the
 * subscription's aggregate, but written on its own, once per invoice
 * ({@link SubscriptionRepository#recordPaidPeriod}), possibly before the subscription is known.
 */
@Entity
@Table(name = "subscription_paid_period")
@IdClass(PaidPeriod.Key.class)
@NamedQuery(name = PaidPeriod.OF_SUBSCRIPTIONS, query = """
        SELECT p FROM PaidPeriod p WHERE p.tenant = :tenant AND p.subscriptionId IN :subscriptions""")
public class PaidPeriod {

    /**
     * PostgreSQL's ON CONFLICT, which JPA cannot say: invoice.paid and invoice.payment_succeeded both record the
     * invoice's period, in either order and possibly on two workers at once, and the first one wins without a
     * SELECT before every insert. Plain SQL also lets the unit of work send it with its other batched rows at the
     * commit ({@link io.billing.platform.persistence.DeferredWrites}): nothing in an event's transaction reads a paid
     * period back, and each was one more round trip per paid invoice.
     */
    static final String RECORD_ONCE_SQL = """
            INSERT INTO subscription_paid_period (subscription_id, invoice_id, tenant_id, period_end)
            VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING""";

    static final String OF_SUBSCRIPTIONS = "PaidPeriod.ofSubscriptions";

    /** The primary key: the subscription's id and the invoice's. */
    public static class Key implements Serializable {

        private String subscriptionId;
        private String invoiceId;

        public Key() {
        }

        public Key(String subscriptionId, String invoiceId) {
            this.subscriptionId = subscriptionId;
            this.invoiceId = invoiceId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key that && Objects.equals(subscriptionId, that.subscriptionId)
                    && Objects.equals(invoiceId, that.invoiceId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(subscriptionId, invoiceId);
        }
    }

    @Id
    @Column(name = "subscription_id")
    private String subscriptionId;

    @Id
    @Column(name = "invoice_id")
    private String invoiceId;

    @Column(name = "tenant_id", nullable = false)
    private TenantId tenant;

    @Column(name = "period_end", nullable = false)
    private Instant periodEnd;

    /** For the persistence provider. */
    protected PaidPeriod() {
    }

    public PaidPeriod(String subscriptionId, String invoiceId, TenantId tenant, Instant periodEnd) {
        this.subscriptionId = Objects.requireNonNull(subscriptionId, "subscription id");
        this.invoiceId = Objects.requireNonNull(invoiceId, "invoice id");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.periodEnd = Objects.requireNonNull(periodEnd, "period end");
    }

    public String subscriptionId() {
        return subscriptionId;
    }

    public String invoiceId() {
        return invoiceId;
    }

    public TenantId tenant() {
        return tenant;
    }

    public Instant periodEnd() {
        return periodEnd;
    }
}
