package io.billing.composition;

import io.billing.connector.CommerceApi;
import io.billing.connector.LicenceApi;
import io.billing.connector.LicenceSync;
import io.billing.connector.RatingApi;
import io.billing.connector.RatingFeed;
import io.billing.connector.StoreOrderChecks;
import io.billing.entitlement.Entitlements;
import io.billing.inbox.InboxStatusCounts;
import io.billing.notification.TenantCallbacks;
import io.billing.notification.TenantNotifications;
import io.billing.outbox.HttpOutboxTransport;
import io.billing.outbox.Outbox;
import io.billing.outbox.OutboxDispatcher;
import io.billing.outbox.OutboxTransport;
import io.billing.platform.crypto.SecretBox;
import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.SchemaMigration;
import io.billing.platform.queue.LoopSupervisor;
import io.billing.platform.queue.PollingLoop;
import io.billing.platform.queue.WorkSignal;
import io.billing.platform.time.DatabaseClock;
import io.billing.processing.EngineSettings;
import io.billing.processing.EventProcessor;
import io.billing.processing.HandlerRegistry;
import io.billing.processing.ProcessingEngine;
import io.billing.processing.handler.EventHandler;
import io.billing.retention.DataRetention;
import io.billing.retention.RetentionSettings;
import io.billing.stripe.StripeModes;
import io.billing.stripe.api.EventRecovery;
import io.billing.stripe.api.ObjectReads;
import io.billing.tenant.StripeTenantResolver;
import io.billing.tenant.TenantMappings;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Runs this node's processing engine, outbox dispatcher, missed-event recovery, data retention and the fold of the
 * inbox's counts per status on container-managed threads (Jakarta Concurrency's {@link ManagedThreadFactory}), from
 * application start until shutdown. Started explicitly after the schema migration, never lazily by a first request.
 *
 * <p>The event handlers are CDI beans, found by the container: by their class (handler classes with a
 * bean-defining annotation such as {@code @Dependent}) or by a producer ({@link HandlerConfiguration}).
 * Configuration switches some off; the rest run in their {@link io.billing.processing.handler.HandlerOrder}.
 * {@link EventHandlers} builds the same set without a container.
 */
@ApplicationScoped
public class ProcessingRuntime {

    private static final Logger LOG = Logger.getLogger(ProcessingRuntime.class.getName());

    /**
     * How often a node tries to fold the inbox's count deltas (one node of the cluster does): a read of the counts
     * adds the deltas of at most about this long, a few thousand rows at the engine's peak.
     */
    static final Duration COUNTS_FOLD_INTERVAL = Duration.ofSeconds(2);

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    @Inject
    DataAccess data;

    @Resource
    ManagedThreadFactory threadFactory;

    @Inject
    Clock clock;

    @Inject
    DatabaseClock databaseClock;

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
    Entitlements entitlements;

    @Inject
    SecretBox secrets;

    /** Every event handler bean, whatever its qualifiers. */
    @Inject
    @Any
    Instance<EventHandler> handlerBeans;

    @Inject
    HandlerConfiguration handlerConfiguration;

    @Inject
    LoopSupervisor supervisor;

    @Inject
    RetentionConfiguration retention;

    private Optional<RatingApi> rating = Optional.empty();
    private Optional<CommerceApi> commerce = Optional.empty();
    private Optional<LicenceApi> licence = Optional.empty();

    private ProcessingEngine engine;
    private OutboxDispatcher dispatcher;
    private Thread dispatcherThread;
    private Thread recoveryThread;
    private Thread retentionThread;
    private Thread countsThread;
    private volatile boolean running;

    /** The event handlers this node runs: the beans its configuration switches on, in their order. */
    HandlerRegistry handlers() {
        EventHandlers.Switches switches = handlerConfiguration.switches();
        return new HandlerRegistry(handlerBeans.stream().filter(switches::runs).toList());
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
        StripeModes.Chosen modes = configuration.stripeModes();
        LOG.info(() -> "applying Stripe events of " + modes.modes().setting() + " mode (" + modes.source() + ")");
        modes.warning().ifPresent(LOG::warning);
        Optional<Duration> retentionSchedule = retention.schedule();
        RetentionSettings retentionSettings = retention.settings(); // a setting out of range fails the start here
        HandlerRegistry handlers = handlers();
        LOG.info(() -> "event handlers, in the order they run for a shared type: " + handlers.handlers().stream()
                .map(handler -> handler.getClass().getSimpleName()).collect(Collectors.joining(", ")));
        EventProcessor processor = new EventProcessor(data, clock, databaseClock, settings, handlers,
                new StripeTenantResolver(mappings, configuration.tenantMetadataKeys(),
                        stripeApi.objectReads().<StripeTenantResolver.PaymentLookup>map(reads -> reads)
                                .orElse(StripeTenantResolver.PaymentLookup.NONE),
                        configuration.trustClientReferenceId()), new Outbox());
        processor.observeWith(metrics.processingObserver());
        metrics.registerGauges();
        supervisor.onDeath((loop, cause) -> metrics.loopDied(loop));
        engine = new ProcessingEngine(processor, signal, threadFactory, supervisor);
        engine.start();

        Map<String, OutboxTransport> transports = new HashMap<>();
        configuration.tenantNotificationsUrl().ifPresent(url -> transports.put(TenantNotifications.DESTINATION,
                new HttpOutboxTransport(URI.create(url), Duration.ofSeconds(10))));
        stripeApi.objectReads().ifPresent(reads -> transports.put(ObjectReads.DESTINATION,
                reads.transport().within(stripeApi.callTimeLimit())));
        rating.ifPresent(api -> transports.put(RatingFeed.DESTINATION,
                RatingFeed.transport(api).within(connectors.timeLimit(RatingApi.CONFIG_KEY))));
        // A licence's creation may first create its customer's user: two calls.
        licence.ifPresent(api -> transports.put(LicenceSync.DESTINATION, LicenceSync.transport(data, clock, api)
                .within(connectors.timeLimit(LicenceApi.CONFIG_KEY).multipliedBy(2))));
        transports.put(TenantCallbacks.DESTINATION, TenantCallbacks.transport(data, clock, entitlements,
                connectors.callbackSender(), secrets).within(connectors.callbackTimeLimit()));
        commerce.ifPresent(api -> transports.put(StoreOrderChecks.DESTINATION,
                StoreOrderChecks.transport(data, clock, api).within(connectors.timeLimit(CommerceApi.CONFIG_KEY))));
        // Each tenant's callback is a receiver of its own: one tenant's slow callback must not hold up the others.
        dispatcher = new OutboxDispatcher(dataSource, clock, databaseClock, settings.nodeId(), transports,
                configuration.outboxRetry(),
                configuration.outboxDispatch().withTenantLanes(Set.of(TenantCallbacks.DESTINATION)), threadFactory);
        metrics.registerOutboxLanes(dispatcher, transports.keySet());
        String name = "billing-outbox-" + settings.nodeId();
        dispatcherThread = threadFactory.newThread(new PollingLoop(name, dispatcher::dispatchOnce,
                dispatcher::awaitRoom, settings.idlePoll().toMillis(), () -> running, supervisor));
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
            }, Thread::sleep, interval.toMillis(), () -> running, supervisor));
            recoveryThread.setName(recoveryName);
            recoveryThread.start();
        });

        // The inbox's counts per status: each fold leaves only the changes of the last seconds for a read to add.
        InboxStatusCounts counts = new InboxStatusCounts(dataSource, databaseClock, settings.nodeId());
        String countsName = "billing-counts-" + settings.nodeId();
        countsThread = threadFactory.newThread(new PollingLoop(countsName, () -> {
            counts.fold(); // nothing while another node folds
            return 0;
        }, Thread::sleep, COUNTS_FOLD_INTERVAL.toMillis(), () -> running, supervisor));
        countsThread.setName(countsName);
        countsThread.start();

        retentionSchedule.ifPresent(interval -> {
            DataRetention job = new DataRetention(dataSource, clock, databaseClock, settings.nodeId(), retentionSettings,
                    metrics.retentionObserver());
            String retentionName = "billing-retention-" + settings.nodeId();
            retentionThread = threadFactory.newThread(new PollingLoop(retentionName, () -> {
                try {
                    job.runOnce(); // nothing while another node runs it; the run logs what it removed
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // shutting down: the wait that follows ends the loop
                }
                return 0;
            }, Thread::sleep, interval.toMillis(), () -> running, supervisor));
            retentionThread.setName(retentionName);
            retentionThread.start();
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
        if (retentionThread != null) {
            retentionThread.interrupt();
        }
        if (countsThread != null) {
            countsThread.interrupt();
        }
        if (dispatcher != null) {
            dispatcher.close(); // lets the messages being sent finish, for a while
        }
    }
}
