package io.billing.processing.runtime;

import io.billing.connector.CommerceApi;
import io.billing.connector.LicenceApi;
import io.billing.connector.LicenceSync;
import io.billing.connector.RatingApi;
import io.billing.connector.RatingFeed;
import io.billing.connector.StoreOrderChecks;
import io.billing.entitlement.Entitlements;
import io.billing.notification.TenantCallbacks;
import io.billing.notification.TenantNotifications;
import io.billing.outbox.HttpOutboxTransport;
import io.billing.outbox.Outbox;
import io.billing.outbox.OutboxDispatcher;
import io.billing.outbox.OutboxTransport;
import io.billing.platform.queue.PollingLoop;
import io.billing.platform.persistence.SchemaMigration;
import io.billing.processing.EngineSettings;
import io.billing.processing.handler.EventHandler;
import io.billing.processing.EventProcessor;
import io.billing.processing.HandlerRegistry;
import io.billing.processing.ProcessingEngine;
import io.billing.platform.queue.WorkSignal;
import io.billing.catalogue.CatalogueProjection;
import io.billing.entitlement.EntitlementSummaryProjection;
import io.billing.ledger.PaymentPostings;
import io.billing.reconciliation.ReconciliationRecorder;
import io.billing.stripe.api.EventRecovery;
import io.billing.stripe.api.ObjectReads;
import io.billing.stripe.objects.StripeObjectProjection;
import io.billing.subscription.PaidPeriods;
import io.billing.subscription.SubscriptionProjection;
import io.billing.tenant.StripeTenantResolver;
import io.billing.tenant.TenantMappings;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Runs this node's processing engine and outbox dispatcher on container-managed threads (Jakarta
 * Concurrency's {@link ManagedThreadFactory}), from application start until shutdown. Started
 * explicitly after the schema migration, never lazily by a first request.
 *
 * <p>The handlers the application runs are listed here, in one place.
 */
@ApplicationScoped
public class ProcessingRuntime {

    private static final Logger LOG = Logger.getLogger(ProcessingRuntime.class.getName());

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    @Resource
    ManagedThreadFactory threadFactory;

    @Inject
    Clock clock;

    @Inject
    WorkSignal signal;

    @Inject
    EngineConfiguration configuration;

    @Inject
    TenantMappings mappings;

    @Inject
    StripeApiConfiguration stripeApi;

    @Inject
    ConnectorConfiguration connectors;

    @Inject
    BillingMetrics metrics;

    @Inject
    TenantCallbacks tenantCallbacks;

    @Inject
    Entitlements entitlements;

    private Optional<RatingApi> rating = Optional.empty();
    private Optional<CommerceApi> commerce = Optional.empty();
    private Optional<LicenceApi> licence = Optional.empty();

    @Inject
    @ConfigProperty(name = "billing.entitlements.grace-days", defaultValue = "3")
    int graceDays;

    private ProcessingEngine engine;
    private Thread dispatcherThread;
    private Thread recoveryThread;
    private volatile boolean running;

    /** The event handlers of this application, in the order they run for a shared type. */
    List<EventHandler> handlers() {
        List<EventHandler> handlers = new ArrayList<>();
        handlers.add(new CatalogueProjection());
        handlers.add(new StripeObjectProjection());
        handlers.add(new SubscriptionProjection());
        handlers.add(new PaidPeriods());
        List<PaymentPostings.PaymentRecorded> paymentListeners = new ArrayList<>();
        rating.ifPresent(api -> paymentListeners.add(new RatingFeed()));
        commerce.ifPresent(api -> paymentListeners.add(new StoreOrderChecks()));
        licence.ifPresent(api -> paymentListeners.add(new LicenceSync(Duration.ofDays(graceDays))));
        handlers.add(new PaymentPostings(paymentListeners));
        handlers.add(new EntitlementSummaryProjection());
        handlers.add(new ReconciliationRecorder());
        handlers.add(tenantCallbacks);
        if (configuration.tenantNotificationsUrl().isPresent()) {
            handlers.add(new TenantNotifications());
        }
        return handlers;
    }

    public synchronized void start() {
        if (!configuration.enabled() || running) {
            LOG.info("processing engine disabled on this node (billing.engine.enabled=false)");
            return;
        }
        running = true;
        rating = connectors.rating();
        commerce = connectors.commerce();
        licence = connectors.licence();
        EngineSettings settings = configuration.settings();
        EventProcessor processor = new EventProcessor(dataSource, clock, settings, new HandlerRegistry(handlers()),
                new StripeTenantResolver(mappings, configuration.tenantMetadataKeys(),
                        stripeApi.objectReads().<StripeTenantResolver.PaymentLookup>map(reads -> reads)
                                .orElse(StripeTenantResolver.PaymentLookup.NONE)), new Outbox());
        processor.observeWith(metrics.processingObserver());
        metrics.registerGauges();
        engine = new ProcessingEngine(processor, signal, threadFactory);
        engine.start();

        Map<String, OutboxTransport> transports = new HashMap<>();
        configuration.tenantNotificationsUrl().ifPresent(url -> transports.put(TenantNotifications.DESTINATION,
                new HttpOutboxTransport(URI.create(url), Duration.ofSeconds(10))));
        stripeApi.objectReads().ifPresent(reads -> transports.put(ObjectReads.DESTINATION, reads.transport()));
        rating.ifPresent(api -> transports.put(RatingFeed.DESTINATION, RatingFeed.transport(api)));
        licence.ifPresent(api -> transports.put(LicenceSync.DESTINATION, LicenceSync.transport(api)));
        transports.put(TenantCallbacks.DESTINATION, TenantCallbacks.transport(dataSource, clock, entitlements,
                connectors.tenantCallbackClients()));
        commerce.ifPresent(api -> transports.put(StoreOrderChecks.DESTINATION,
                StoreOrderChecks.transport(dataSource, clock, api)));
        OutboxDispatcher dispatcher = new OutboxDispatcher(dataSource, clock, settings.nodeId(), transports,
                configuration.outboxRetry(), settings.lease(), settings.batchSize());
        String name = "billing-outbox-" + settings.nodeId();
        dispatcherThread = threadFactory.newThread(new PollingLoop(name, dispatcher::dispatchOnce, Thread::sleep,
                settings.idlePoll().toMillis(), () -> running));
        dispatcherThread.setName(name);
        dispatcherThread.start();

        stripeApi.recoverySchedule().ifPresent(interval -> {
            EventRecovery recovery = stripeApi.recovery().orElseThrow();
            String recoveryName = "billing-recovery-" + settings.nodeId();
            recoveryThread = threadFactory.newThread(new PollingLoop(recoveryName, () -> {
                try {
                    recovery.runOnce("schedule").ifPresent(metrics::recoveryRan); // none while another node runs it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // shutting down: the wait that follows ends the loop
                }
                return 0;
            }, Thread::sleep, interval.toMillis(), () -> running));
            recoveryThread.setName(recoveryName);
            recoveryThread.start();
        });
    }

    @PreDestroy
    public synchronized void stop() {
        running = false;
        if (engine != null) {
            engine.close();
        }
        if (dispatcherThread != null) {
            dispatcherThread.interrupt();
        }
        if (recoveryThread != null) {
            recoveryThread.interrupt();
        }
    }
}
