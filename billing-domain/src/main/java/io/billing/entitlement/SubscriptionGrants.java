package io.billing.entitlement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a tenant's subscriptions grant and until when: the one reading of the subscription state that
 * entitlements and licences share. A subscription's grant runs to its trial's end while trialing, else to
 * the later of its current period's end and the end of the latest period a paid invoice covers (a paid
 * renewal extends at once), plus the grace period.
 */
final class SubscriptionGrants {

    /** Statuses whose subscription grants access now. */
    static final Set<String> LIVE = Set.of("active", "trialing", "past_due");

    /**
     * One subscription that was ever live.
     *
     * @param grantEnd   when its grant ends (grace included); null when no period is known
     * @param endedAt    when it ended or was canceled, for one that is over
     * @param snapshotAt Stripe's time of the snapshot the state comes from
     * @param products   the products of its items
     */
    record Grant(String subscriptionId, String customerId, String status, Instant grantEnd, Instant endedAt,
                 Instant snapshotAt, List<String> products) {

        boolean live() {
            return LIVE.contains(status);
        }
    }

    private static final String SQL = """
            SELECT s.subscription_id, s.customer_id, s.status, s.current_period_end, s.trial_end, s.version_created,
                   s.canceled_at, s.ended_at, i.product_id,
                   (SELECT MAX(p.period_end) FROM subscription_paid_period p WHERE p.subscription_id = s.subscription_id)
            FROM subscription s LEFT JOIN subscription_item i ON i.subscription_id = s.subscription_id
            WHERE s.tenant_id = ? AND s.status IN ('trialing', 'active', 'past_due', 'unpaid', 'canceled')
            ORDER BY s.subscription_id, i.product_id""";

    private SubscriptionGrants() {
    }

    static List<Grant> of(Connection connection, String tenantId, Duration grace) throws SQLException {
        Map<String, Grant> grants = new LinkedHashMap<>();
        try (PreparedStatement query = connection.prepareStatement(SQL)) {
            query.setString(1, tenantId);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    String id = row.getString(1);
                    Grant grant = grants.get(id);
                    if (grant == null) {
                        String status = row.getString(3);
                        Instant trialEnd = instant(row.getTimestamp(5));
                        Instant periodEnd = later(instant(row.getTimestamp(4)), instant(row.getTimestamp(10)));
                        Instant end = "trialing".equals(status) && trialEnd != null ? trialEnd : periodEnd;
                        Instant ended = instant(row.getTimestamp(8));
                        grant = new Grant(id, row.getString(2), status, end == null ? null : end.plus(grace),
                                ended != null ? ended : instant(row.getTimestamp(7)),
                                row.getTimestamp(6).toInstant(), new ArrayList<>());
                        grants.put(id, grant);
                    }
                    String product = row.getString(9);
                    if (product != null) {
                        grant.products().add(product);
                    }
                }
            }
        }
        return List.copyOf(grants.values());
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    static Instant instant(Timestamp at) {
        return at == null ? null : at.toInstant();
    }
}
