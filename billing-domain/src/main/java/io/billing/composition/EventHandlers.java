package io.billing.composition;

import io.billing.catalogue.CatalogueProjection;
import io.billing.connector.LicenceSync;
import io.billing.connector.LicenceUserSync;
import io.billing.connector.RatingFeed;
import io.billing.connector.StoreOrderChecks;
import io.billing.entitlement.EntitlementSummaryProjection;
import io.billing.entitlement.LicenceKeys;
import io.billing.ledger.PaymentPostings;
import io.billing.notification.TenantCallbackTriggers;
import io.billing.notification.TenantNotifications;
import io.billing.processing.handler.EventHandler;
import io.billing.reconciliation.ReconciliationRecorder;
import io.billing.stripe.objects.StripeObjectProjection;
import io.billing.subscription.PaidPeriods;
import io.billing.subscription.SubscriptionProjection;

import java.time.Duration;
import java.util.Objects;
import java.util.ArrayList;
import java.util.List;

/**
 * The application's event handlers without a container. In the container they are CDI beans that
 * {@link ProcessingRuntime} discovers (most by their class, the ones made from configuration by
 * {@link HandlerConfiguration}); the engine tests and benchmarks, which run outside one, build the same set
 * here. {@code HandlerDiscoveryTest} holds this list to the beans the container finds.
 */
public final class EventHandlers {

    /** The grace a licence gets beyond its period when none is configured ({@code billing.entitlements.grace-days}). */
    static final Duration DEFAULT_LICENCE_GRACE = Duration.ofDays(3);

    private EventHandlers() {
    }

    /**
     * What configuration switches on among the handlers, each needing its receiver configured: the connectors
     * told of every payment the ledger records, and the tenant notifications.
     *
     * @param licenceGrace how long a licence on the licence service outlives its period
     * @param licenceKeys  the licences' keys, for the licence service (needed where {@code licence} is on)
     */
    public record Switches(boolean rating, boolean commerce, boolean licence, Duration licenceGrace,
                           LicenceKeys licenceKeys, boolean tenantNotifications) {

        /** Nothing optional: what a service without connectors or a notification receiver runs. */
        public static Switches none() {
            return new Switches(false, false, false, DEFAULT_LICENCE_GRACE, null, false);
        }

        public Switches withTenantNotifications() {
            return new Switches(rating, commerce, licence, licenceGrace, licenceKeys, true);
        }

        /** Every connector, the licence service's with these keys. */
        public Switches withEveryConnector(LicenceKeys keys) {
            return new Switches(true, true, true, licenceGrace, keys, tenantNotifications);
        }

        /**
         * Whether a handler runs with these switches: tenant notifications only where they have a receiver, the
         * licence service's users only where the licence service is configured.
         */
        public boolean runs(EventHandler handler) {
            if (handler instanceof LicenceUserSync) {
                return licence;
            }
            return !(handler instanceof TenantNotifications) || tenantNotifications;
        }
    }

    /** Every handler the application runs with these switches, built plainly. */
    public static List<EventHandler> all(Switches switches) {
        List<EventHandler> handlers = new ArrayList<>(List.of(new CatalogueProjection(), new StripeObjectProjection(),
                new SubscriptionProjection(), new PaidPeriods(), paymentPostings(switches),
                new EntitlementSummaryProjection(), new ReconciliationRecorder(), new TenantCallbackTriggers(),
                new TenantNotifications(), new LicenceUserSync()));
        handlers.removeIf(handler -> !switches.runs(handler));
        return handlers;
    }

    /** The ledger's postings, telling the switched-on connectors of every payment they record. */
    static PaymentPostings paymentPostings(Switches switches) {
        List<PaymentPostings.PaymentRecorded> listeners = new ArrayList<>();
        if (switches.rating()) {
            listeners.add(new RatingFeed());
        }
        if (switches.commerce()) {
            listeners.add(new StoreOrderChecks());
        }
        if (switches.licence()) {
            listeners.add(new LicenceSync(switches.licenceGrace(),
                    Objects.requireNonNull(switches.licenceKeys(), "the licence service needs the licence keys")));
        }
        return new PaymentPostings(listeners);
    }
}
