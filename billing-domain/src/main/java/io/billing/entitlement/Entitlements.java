package io.billing.entitlement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * What a tenant may use now, and until when. Derived when asked from the state the handlers keep (the
 * subscriptions, the plan catalogue and Stripe's entitlement summaries), never from a sequence of grant
 * and revoke events: the answer is therefore the same whatever order Stripe delivered in.
 *
 * <ul>
 *   <li>An {@code active} or {@code trialing} subscription grants the features of its items' products,
 *       until its current period ends (a trial: until the trial ends), or the end of the latest period a
 *       paid invoice covers if that is later (a paid renewal extends at once), plus the grace period. Stripe makes
 *       a subscription active only once its first invoice is paid, so an unpaid Checkout grants nothing.</li>
 *   <li>A {@code past_due} subscription keeps its features until the period end plus grace, then loses
 *       them. {@code unpaid}, {@code canceled}, {@code incomplete}, {@code incomplete_expired} and
 *       {@code paused} grant nothing: a deleted subscription is canceled.</li>
 *   <li>A plan change (new items) switches the features at once, as the newest snapshot wins.</li>
 *   <li>Where Stripe sent an entitlement summary for the tenant's customer that is newer than the
 *       subscription, its feature set replaces the catalogue's for that customer's live subscriptions;
 *       how long they last still follows the subscription.</li>
 * </ul>
 */
public class Entitlements {

    /** One feature the tenant may use, until when (never null here: every grant has an end). */
    public record Feature(String feature, Instant until, String source) {
    }

    private static final String SUMMARIES_SQL =
            "SELECT customer_id, features, version_created FROM entitlement_summary WHERE tenant_id = ?";

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration grace;

    /** Reads the plan catalogue from its table on every question, so an edit takes effect at once. */
    public Entitlements(DataSource dataSource, Clock clock, Duration grace) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.grace = grace;
    }

    /** Stripe's entitlement summary for a customer, and when Stripe made it. */
    private record Summary(List<String> features, Instant madeAt) {
    }

    /** The tenant's features now, by name, each with the latest end any source grants it. */
    public List<Feature> current(String tenantId) throws SQLException {
        Instant now = clock.instant();
        Map<String, Feature> features = new TreeMap<>();
        try (Connection connection = dataSource.getConnection()) {
            PlanCatalogue catalogue = PlanCatalogue.load(connection);
            Map<String, Summary> summaries = summaries(connection, tenantId);
            for (SubscriptionGrants.Grant live : SubscriptionGrants.of(connection, tenantId, grace)) {
                if (!live.live() || live.grantEnd() == null || !live.grantEnd().isAfter(now)) {
                    continue; // no period known, or the period and its grace are over (past_due too long)
                }
                Summary summary = live.customerId() == null ? null : summaries.get(live.customerId());
                List<String> granted = new ArrayList<>();
                if (summary != null && summary.madeAt().isAfter(live.snapshotAt())) {
                    granted.addAll(summary.features());
                } else {
                    live.products().forEach(product -> granted.addAll(catalogue.featuresOf(product)));
                }
                for (String feature : granted) {
                    Feature existing = features.get(feature);
                    if (existing == null || existing.until().isBefore(live.grantEnd())) {
                        features.put(feature, new Feature(feature, live.grantEnd(), live.subscriptionId()));
                    }
                }
            }
        }
        return List.copyOf(features.values());
    }

    private static Map<String, Summary> summaries(Connection connection, String tenantId) throws SQLException {
        Map<String, Summary> summaries = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(SUMMARIES_SQL)) {
            query.setString(1, tenantId);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    List<String> features = new ArrayList<>();
                    for (String feature : row.getString(2).split(",")) {
                        if (!feature.isBlank()) {
                            features.add(feature);
                        }
                    }
                    summaries.put(row.getString(1), new Summary(features, row.getTimestamp(3).toInstant()));
                }
            }
        }
        return summaries;
    }
}
