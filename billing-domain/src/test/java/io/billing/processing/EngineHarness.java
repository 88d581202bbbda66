package io.billing.processing;

import io.billing.composition.EventHandlers;
import io.billing.inbox.EventEnvelopeParser;
import io.billing.inbox.GroupCommitWriter;
import io.billing.inbox.StoreOutcome;
import io.billing.outbox.Outbox;
import io.billing.platform.queue.RetryPolicy;
import io.billing.platform.queue.WorkSignal;
import io.billing.platform.time.DatabaseClock;
import io.billing.processing.handler.EventHandler;
import io.billing.stripe.StripeModes;
import io.billing.tenant.StripeTenantResolver;
import io.billing.tenant.TenantMappings;
import io.billing.testsupport.MutableClock;
import io.billing.testsupport.StripeFixtures.Fixture;
import io.billing.testsupport.TestDatabase;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The engine as the application wires it (the real intake writer, the real handlers, the tenant
 * resolver), on a test database and a clock the test moves. Several engines on one harness share the
 * database, as nodes do.
 */
final class EngineHarness implements AutoCloseable {

    static final Instant START = Instant.parse("2026-11-22T12:00:00Z");

    final TestDatabase database;
    final MutableClock clock = new MutableClock(START);
    /** Leases and due times follow the test's clock, so that a test expires a lease by moving it. */
    final DatabaseClock databaseClock = DatabaseClock.following(clock);
    final TenantMappings mappings;
    /** How the resolver fetches unseen payments; tests with a fake Stripe API set it before making engines. */
    StripeTenantResolver.PaymentLookup paymentLookup = StripeTenantResolver.PaymentLookup.NONE;
    /** Whether {@code client_reference_id} counts on sessions this service did not create; set before making engines. */
    boolean trustClientReferenceIds;
    private final GroupCommitWriter intake;
    private final EventEnvelopeParser parser = new EventEnvelopeParser();
    private final List<ProcessingEngine> engines = new ArrayList<>();

    EngineHarness(TestDatabase database) {
        this.database = database;
        this.mappings = new TenantMappings(database.dataAccess(), clock);
        this.intake = new GroupCommitWriter(database.dataSource(), clock,
                new GroupCommitWriter.Settings(2, 256, 4096, Duration.ofSeconds(10)), Thread::new);
    }

    /** The application's handlers, as the container runs them with tenant notifications and no connector. */
    List<EventHandler> productionHandlers() {
        return EventHandlers.all(EventHandlers.Switches.none().withTenantNotifications());
    }

    /** A node's settings; it applies events of both Stripe modes, as the sample events are test-mode ones. */
    static EngineSettings settings(String node, int workers, RetryPolicy retry) {
        return settings(node, workers, retry, StripeModes.LIVE_AND_TEST);
    }

    static EngineSettings settings(String node, int workers, RetryPolicy retry, StripeModes modes) {
        return new EngineSettings(node, workers, 8, Duration.ofSeconds(30), Duration.ofMillis(20), retry, modes);
    }

    ProcessingEngine engine(EngineSettings settings, List<EventHandler> handlers) {
        return new ProcessingEngine(processor(settings, handlers), new WorkSignal(), Thread::new);
    }

    EventProcessor processor(EngineSettings settings, List<EventHandler> handlers) {
        return processor(settings, handlers, clock, databaseClock);
    }

    /** A node with its own clock, and leases and due times on {@code databaseClock}. */
    EventProcessor processor(EngineSettings settings, List<EventHandler> handlers, Clock nodeClock,
                             DatabaseClock databaseClock) {
        return new EventProcessor(database.dataAccess(), nodeClock, databaseClock, settings,
                new HandlerRegistry(handlers),
                new StripeTenantResolver(mappings, StripeTenantResolver.DEFAULT_METADATA_KEYS, paymentLookup,
                        trustClientReferenceIds),
                new Outbox(), () -> 0.5);
    }

    ProcessingEngine engine(String node) {
        ProcessingEngine engine = engine(settings(node, 1, RetryPolicy.DEFAULT), productionHandlers());
        engines.add(engine);
        return engine;
    }

    StoreOutcome deliver(Fixture fixture) throws Exception {
        return deliver(fixture.body());
    }

    StoreOutcome deliver(byte[] body) throws Exception {
        return intake.store(parser.parse(body));
    }

    /**
     * From an empty state, delivers the events in the order given, one second apart, the engine draining at random
     * points between deliveries (as it runs beside the intake) and at the end; then nothing may wait or have failed.
     */
    void replay(ProcessingEngine engine, List<Fixture> deliveries, Random random) throws Exception {
        reset();
        for (Fixture delivery : deliveries) {
            deliver(delivery);
            clock.advance(Duration.ofSeconds(1));
            if (random.nextBoolean()) {
                engine.drain();
            }
        }
        engine.drain();
        assertEquals(0, count("SELECT COUNT(*) FROM inbox_event WHERE status NOT IN ('PROCESSED', 'IGNORED', 'UNMAPPED')"),
                "nothing left in the queue or failed: " + rows("SELECT event_id, status, status_reason FROM inbox_event"));
    }

    List<String> rows(String sql) throws SQLException {
        return database.rows(sql);
    }

    long count(String sql) throws SQLException {
        return database.count(sql);
    }

    /** Empties every table the engine writes, so one harness can replay a story several times. */
    void reset() throws SQLException {
        database.emptyLedger();
        database.execute("DELETE FROM event_attempt", "DELETE FROM outbox_attempt", "DELETE FROM outbox_message",
                "DELETE FROM audit_log", "DELETE FROM reconciliation_event", "DELETE FROM reconciliation_history",
                "DELETE FROM reconciliation_record", "DELETE FROM journal_entry_payment",
                "DELETE FROM subscription_item", "DELETE FROM subscription_paid_period", "DELETE FROM entitlement_summary", "DELETE FROM subscription",
                "DELETE FROM stripe_object", "DELETE FROM catalogue_price", "DELETE FROM catalogue_product",
                "DELETE FROM tenant", "DELETE FROM tenant_mapping",
                "DELETE FROM inbox_event");
        database.execute("DELETE FROM licence_user");
    }

    @Override
    public void close() {
        engines.forEach(ProcessingEngine::close);
        intake.close();
        database.close();
    }
}
