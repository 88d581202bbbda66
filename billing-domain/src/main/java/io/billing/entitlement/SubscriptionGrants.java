package io.billing.entitlement;

import io.billing.subscription.Subscription;
import io.billing.subscription.SubscriptionItem;
import io.billing.subscription.SubscriptionRepository;
import io.billing.tenant.TenantId;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a tenant's subscriptions grant and until when: the one reading of the subscription state that
 * entitlements and licences share. A subscription's grant runs to its trial's end while trialing, else to
 * the later of its current period's end and the end of the latest period a paid invoice covers (a paid
 * renewal extends at once), plus the grace period.
 */
final class SubscriptionGrants {

    /**
     * One subscription that was ever live.
     *
     * @param grantEnd   when its grant ends (grace included); null when no period is known
     * @param endedAt    when it ended or was canceled, for one that is over
     * @param snapshotAt Stripe's time of the snapshot the state comes from
     * @param products   the products of its items, in product order
     */
    record Grant(String subscriptionId, String customerId, boolean live, Instant grantEnd, Instant endedAt,
                 Instant snapshotAt, List<String> products) {
    }

    private SubscriptionGrants() {
    }

    /** The grants of the tenant's subscriptions that were ever live, by subscription id. */
    static List<Grant> of(SubscriptionRepository subscriptions, TenantId tenant, Duration grace) {
        List<Subscription> everLive = subscriptions.ofTenantInStatuses(tenant, Subscription.EVER_LIVE);
        Map<String, Instant> paidUntil = subscriptions.latestPaidPeriodEnds(tenant,
                everLive.stream().map(Subscription::id).toList());
        List<Grant> grants = new ArrayList<>();
        for (Subscription subscription : everLive) {
            grants.add(grant(subscription, paidUntil.get(subscription.id()), grace));
        }
        return grants;
    }

    private static Grant grant(Subscription subscription, Instant paidUntil, Duration grace) {
        Instant periodEnd = later(subscription.currentPeriodEnd(), paidUntil);
        Instant end = "trialing".equals(subscription.status()) && subscription.trialEnd() != null
                ? subscription.trialEnd() : periodEnd;
        Instant ended = subscription.endedAt() != null ? subscription.endedAt() : subscription.canceledAt();
        List<String> products = subscription.items().stream().map(SubscriptionItem::productId)
                .filter(product -> product != null).sorted().toList();
        return new Grant(subscription.id(), subscription.customerId(), subscription.isLive(),
                end == null ? null : end.plus(grace), ended, subscription.version().created(), products);
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }
}
