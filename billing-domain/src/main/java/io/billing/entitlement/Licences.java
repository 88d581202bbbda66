package io.billing.entitlement;

import io.billing.ledger.PaymentPostings;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.sql.DataSource;

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

    private static final String ORDERS_SQL = """
            SELECT business_key, description FROM journal_entry
            WHERE tenant_id = ? AND business_key LIKE 'payment:%' ORDER BY business_key""";

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration grace;

    public Licences(DataSource dataSource, Clock clock, Duration grace) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.grace = grace;
    }

    public List<Licence> of(String tenantId) throws SQLException {
        Instant now = clock.instant();
        List<Licence> licences = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            for (SubscriptionGrants.Grant grant : SubscriptionGrants.of(connection, tenantId, grace)) {
                Instant validUntil = grant.live() ? grant.grantEnd() : grant.endedAt();
                Status status = !grant.live() ? Status.REVOKED
                        : validUntil != null && !validUntil.isAfter(now) ? Status.EXPIRED : Status.ACTIVE;
                for (String product : grant.products()) {
                    licences.add(new Licence(key(tenantId, grant.subscriptionId(), product), product,
                            grant.subscriptionId(), null, validUntil, status));
                }
            }
            try (PreparedStatement query = connection.prepareStatement(ORDERS_SQL)) {
                query.setString(1, tenantId);
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        String payment = row.getString(1).substring(PaymentPostings.PAYMENT_KEY_PREFIX.length());
                        String orderId = PaymentPostings.orderIn(row.getString(2));
                        String order = orderId != null ? orderId : payment;
                        licences.add(new Licence(key(tenantId, payment, order), order, null, order, null, Status.ACTIVE));
                    }
                }
            }
        }
        return licences;
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
