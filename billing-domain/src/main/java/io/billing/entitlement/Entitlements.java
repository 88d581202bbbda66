package io.billing.entitlement;

import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.DatabaseFailures;
import io.billing.subscription.JpaSubscriptionRepository;
import io.billing.tenant.TenantId;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

    private final DataAccess data;
    private final Clock clock;
    private final Duration grace;

    /** Reads the plan catalogue from its table on every question, so an edit takes effect at once. */
    public Entitlements(DataAccess data, Clock clock, Duration grace) {
        this.data = data;
        this.clock = clock;
        this.grace = grace;
    }

    /** The tenant's features now, by name, each with the latest end any source grants it. */
    public List<Feature> current(TenantId tenant) throws SQLException {
        Instant now = clock.instant();
        return DatabaseFailures.read(data, entityManager -> {
            PlanCatalogue catalogue = new JpaPlanCatalogueRepository(entityManager).catalogue();
            Map<String, EntitlementSummary> summaries = new HashMap<>();
            for (EntitlementSummary summary : new JpaEntitlementSummaryRepository(entityManager).ofTenant(tenant)) {
                summaries.put(summary.customerId(), summary);
            }
            Map<String, Feature> features = new TreeMap<>();
            for (SubscriptionGrants.Grant live : SubscriptionGrants.of(new JpaSubscriptionRepository(entityManager),
                    tenant, grace)) {
                if (!live.live() || live.grantEnd() == null || !live.grantEnd().isAfter(now)) {
                    continue; // no period known, or the period and its grace are over (past_due too long)
                }
                EntitlementSummary summary = live.customerId() == null ? null : summaries.get(live.customerId());
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
            return List.copyOf(features.values());
        });
    }
}
