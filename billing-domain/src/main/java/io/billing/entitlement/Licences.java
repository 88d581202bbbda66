package io.billing.entitlement;

import io.billing.ledger.PaymentPostings;
import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.DatabaseFailures;
import io.billing.subscription.JpaSubscriptionRepository;
import io.billing.tenant.TenantId;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

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
 * The key is derived from tenant, subscription (or payment) and product, so it never changes: the same
 * licence is extended, never re-issued.
 */
public class Licences {

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

    private final DataAccess data;
    private final Clock clock;
    private final Duration grace;

    public Licences(DataAccess data, Clock clock, Duration grace) {
        this.data = data;
        this.clock = clock;
        this.grace = grace;
    }

    public List<Licence> of(TenantId tenant) throws SQLException {
        Instant now = clock.instant();
        String tenantId = tenant.value();
        return DatabaseFailures.read(data, entityManager -> {
            List<Licence> licences = new ArrayList<>();
            for (SubscriptionGrants.Grant grant : SubscriptionGrants.of(new JpaSubscriptionRepository(entityManager),
                    tenant, grace)) {
                Instant validUntil = grant.live() ? grant.grantEnd() : grant.endedAt();
                Status status = !grant.live() ? Status.REVOKED
                        : validUntil != null && !validUntil.isAfter(now) ? Status.EXPIRED : Status.ACTIVE;
                for (String product : grant.products()) {
                    licences.add(new Licence(key(tenantId, grant.subscriptionId(), product), product,
                            grant.subscriptionId(), null, validUntil, status));
                }
            }
            List<?> orders = entityManager.createNativeQuery(ORDERS_SQL).setParameter(1, tenantId).getResultList();
            for (Object row : orders) {
                Object[] columns = (Object[]) row;
                String payment = ((String) columns[0]).substring(PaymentPostings.PAYMENT_KEY_PREFIX.length());
                String orderId = PaymentPostings.orderIn((String) columns[1]);
                String order = orderId != null ? orderId : payment;
                licences.add(new Licence(key(tenantId, payment, order), order, null, order, null, Status.ACTIVE));
            }
            return licences;
        });
    }

    /**
     * A stable, unguessable-looking key: the same inputs always give the same licence key (the subscription
     * or payment, and the product or order).
     */
    public static String key(String tenantId, String source, String product) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((tenantId + "|" + source + "|" + product).getBytes(StandardCharsets.UTF_8));
            String hex = HexFormat.of().withUpperCase().formatHex(digest, 0, 10);
            return "LIC-" + hex.substring(0, 5) + "-" + hex.substring(5, 10) + "-" + hex.substring(10, 15) + "-"
                    + hex.substring(15, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
