package io.billing.entitlement;

import io.billing.ledger.PaymentPostings;
import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.DatabaseFailures;
import io.billing.subscription.JpaSubscriptionRepository;
import io.billing.tenant.TenantId;

import jakarta.persistence.EntityManager;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * A tenant's licences, derived like its entitlements from the state the handlers keep, so that no delivery
 * order can issue one twice or lose one:
 * <ul>
 *   <li>one per product of every subscription that was ever live ({@code trialing}, {@code active},
 *       {@code past_due}, {@code unpaid}, {@code canceled}: a subscription reaches those only after its
 *       first invoice is paid or its trial began), valid until its current period or trial ends plus the
 *       grace while the subscription is live, which is how a renewal extends it; revoked from the moment
 *       a subscription is {@code unpaid} or {@code canceled} (at its {@code ended_at} or
 *       {@code canceled_at});</li>
 *   <li>one per paid one-time order (its {@code payment:<payment intent>} posting), without expiry: the
 *       order's product is not in Stripe's events, so the licence names the order instead.</li>
 * </ul>
 * The key is derived from tenant, subscription (or payment) and product under the service's secret
 * ({@link LicenceKeys}), so it never changes: the same licence is extended, never re-issued.
 */
public class Licences {

    private static final Logger LOG = Logger.getLogger(Licences.class.getName());

    /** Issued, valid until {@code validUntil} (null: no expiry), or revoked. */
    public enum Status { ACTIVE, EXPIRED, REVOKED }

    public record Licence(String key, String product, String subscriptionId, String orderId, Instant validUntil,
                          Status status) {
    }

    /**
     * The tenant's one-time orders: the ledger's {@code payment:} postings, read from its journal, by the unique
     * index on (tenant, business key).
     */
    private static final String ORDERS_SQL = """
            SELECT business_key, description FROM journal_entry
            WHERE tenant_id = ? AND business_key LIKE 'payment:%' ORDER BY business_key""";

    /** Every tenant with a licence: those with a subscription or a one-time order. */
    private static final String TENANTS_SQL = """
            SELECT tenant_id FROM subscription UNION
            SELECT tenant_id FROM journal_entry WHERE business_key LIKE 'payment:%' ORDER BY 1""";

    /** How a licence's key is made from tenant, source (subscription or payment) and subject (product or order). */
    @FunctionalInterface
    private interface KeyOf {
        String key(String tenantId, String source, String subject);
    }

    private final DataAccess data;
    private final Clock clock;
    private final Duration grace;
    private final LicenceKeys keys;

    public Licences(DataAccess data, Clock clock, Duration grace, LicenceKeys keys) {
        this.data = data;
        this.clock = clock;
        this.grace = grace;
        this.keys = keys;
    }

    public List<Licence> of(TenantId tenant) throws SQLException {
        return DatabaseFailures.read(data, entityManager -> derive(entityManager, tenant, clock.instant(),
                (tenantId, source, subject) -> keys.of(entityManager, tenantId, source, subject)));
    }

    /**
     * Keeps the keys of every licence issued so far under an earlier scheme, as they were issued, once per scheme:
     * the unkeyed SHA-256 keys were before they were an HMAC (at the first start after that change), and the HMAC
     * under the previous licence key secret while one is configured (at the first start after the rotation). At
     * start, before the engine runs. A scheme's row in {@code licence_key_kept} makes it once: nodes starting
     * together wait on it, and a later start does not take licences issued since for the previous secret's.
     *
     * @return how many keys were kept (0 once done)
     */
    public int keepIssuedKeys() throws SQLException {
        int kept = keep(LicenceKeys.LEGACY_SCHEME, LicenceKeys::legacy);
        Optional<String> previous = keys.previousScheme();
        if (previous.isPresent()) {
            kept += keep(previous.get(), keys::previousHmac);
        }
        return kept;
    }

    private int keep(String scheme, KeyOf keyOf) throws SQLException {
        int kept = DatabaseFailures.inTransaction(data, unit -> {
            try (PreparedStatement once = unit.connection().prepareStatement("INSERT INTO licence_key_kept"
                    + " (scheme, kept_at) VALUES (?, CURRENT_TIMESTAMP) ON CONFLICT DO NOTHING")) {
                once.setString(1, scheme);
                if (once.executeUpdate() == 0) {
                    return 0;
                }
            }
            EntityManager entityManager = unit.entityManager();
            List<String[]> issued = new ArrayList<>();
            for (Object tenantId : entityManager.createNativeQuery(TENANTS_SQL).getResultList()) {
                derive(entityManager, TenantId.of((String) tenantId), clock.instant(), (tenant, source, subject) -> {
                    issued.add(new String[] {tenant, source, subject});
                    return null;
                });
            }
            // A key kept before (an earlier scheme's) stays: it is the one that was issued.
            try (PreparedStatement insert = unit.connection().prepareStatement("INSERT INTO licence_key"
                    + " (tenant_id, source, subject, licence_key) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (String[] licence : issued) {
                    insert.setString(1, licence[0]);
                    insert.setString(2, licence[1]);
                    insert.setString(3, licence[2]);
                    insert.setString(4, keyOf.key(licence[0], licence[1], licence[2]));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return issued.size();
        });
        if (kept > 0) {
            LOG.info(() -> "kept the keys of " + kept + " licence(s) issued under an earlier key scheme");
        }
        return kept;
    }

    private List<Licence> derive(EntityManager entityManager, TenantId tenant, Instant now, KeyOf keyOf) {
        String tenantId = tenant.value();
        List<Licence> licences = new ArrayList<>();
        for (SubscriptionGrants.Grant grant : SubscriptionGrants.of(new JpaSubscriptionRepository(entityManager),
                tenant, grace)) {
            Instant validUntil = grant.live() ? grant.grantEnd() : grant.endedAt();
            Status status = !grant.live() ? Status.REVOKED
                    : validUntil != null && !validUntil.isAfter(now) ? Status.EXPIRED : Status.ACTIVE;
            for (String product : grant.products()) {
                licences.add(new Licence(keyOf.key(tenantId, grant.subscriptionId(), product), product,
                        grant.subscriptionId(), null, validUntil, status));
            }
        }
        List<?> orders = entityManager.createNativeQuery(ORDERS_SQL).setParameter(1, tenantId).getResultList();
        for (Object row : orders) {
            Object[] columns = (Object[]) row;
            String payment = ((String) columns[0]).substring(PaymentPostings.PAYMENT_KEY_PREFIX.length());
            String orderId = PaymentPostings.orderIn((String) columns[1]);
            String order = orderId != null ? orderId : payment;
            licences.add(new Licence(keyOf.key(tenantId, payment, order), order, null, order, null, Status.ACTIVE));
        }
        return licences;
    }
}
