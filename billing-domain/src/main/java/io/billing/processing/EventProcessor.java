package io.billing.processing;

import io.billing.platform.persistence.Databases;
import io.billing.inbox.InboxRequeue;
import io.billing.inbox.InboxStatus;
import io.billing.outbox.Outbox;
import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.StatementTimeout;
import io.billing.platform.persistence.Transactions;
import io.billing.platform.persistence.UnitOfWork;
import io.billing.platform.queue.LeasedWorkQueue;
import io.billing.platform.time.DatabaseClock;
import io.billing.processing.handler.DeadLetterException;
import io.billing.processing.handler.EventHandler;
import io.billing.processing.handler.HandlingContext;
import io.billing.processing.handler.InboxWorkItem;
import io.billing.processing.handler.TenantResolver;
import io.billing.stripe.StripeEventJson;
import io.billing.trace.EventSummaries;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Claims inbox rows and runs them: a batch in one transaction, or, when anything in it fails, each event
 * in its own (see {@link #processBatch}). Either way an event's handler writes, new status and attempt
 * record commit together or not at all. A failed attempt is recorded in a second transaction, after the
 * handlers' writes were rolled back, and the row is rescheduled or dead-lettered: after the last attempt the retry
 * policy allows, or at once when a handler found that no retry can mend it ({@link DeadLetterException}).
 *
 * <p>Two clocks: leases and retry due times come from the {@link DatabaseClock}, which every node shares; the
 * times that record what happened (attempts, status changes, the handlers' own) from the node's {@link Clock}.
 */
public final class EventProcessor {

    /** The inbox as a leased work queue. */
    static final LeasedWorkQueue INBOX = new LeasedWorkQueue("inbox_event", "event_id",
            InboxStatus.PROCESSING.name(),
            "event_id, event_type, api_version, livemode, account_id, stripe_created, object_type, object_id,"
                    + " customer_id, payload, received_at, attempt_count, cycle_attempts, assigned_tenant_id",
            List.of("cycle_attempts"));

    /** Claimed rows run in Stripe's order of creation (ties by event id), so one batch applies in order. */
    static final Comparator<InboxWorkItem> STRIPE_ORDER =
            Comparator.comparing(InboxWorkItem::created).thenComparing(InboxWorkItem::eventId);

    private static final Logger LOG = Logger.getLogger(EventProcessor.class.getName());

    private static final String SETTLE_SQL = """
            UPDATE inbox_event SET status = ?, status_reason = ?, status_changed_at = ?, tenant_id = COALESCE(?, tenant_id),
                   awaiting_id = ?, due_at = ?, event_line = COALESCE(?, event_line), lease_owner = NULL,
                   lease_token = NULL
            WHERE event_id = ? AND lease_token = ? AND status = 'PROCESSING'""";

    /**
     * PostgreSQL: a batch's events settled in one statement, each one's values as arrays. One statement rather than one
     * per event because the inbox's counts per status are kept by a statement trigger, which then runs once per batch.
     * The lease token alone proves the lease (a claim writes a fresh one, every change of status clears it): with the
     * status in the condition too, PostgreSQL chose to read every {@code PROCESSING} entry of the status index, dead
     * ones included, and a settle took tens of milliseconds.
     */
    private static final String SETTLE_ALL_SQL = """
            UPDATE inbox_event AS e SET status = s.status, status_reason = s.reason, status_changed_at = s.changed_at,
                   tenant_id = COALESCE(s.tenant_id, e.tenant_id), awaiting_id = s.awaiting_id, due_at = NULL,
                   event_line = COALESCE(s.line, e.event_line), lease_owner = NULL, lease_token = NULL
            FROM unnest(CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]),
                        CAST(? AS TIMESTAMP WITH TIME ZONE[]), CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]),
                        CAST(? AS VARCHAR[]))
                 AS s(event_id, lease_token, status, reason, changed_at, tenant_id, awaiting_id, line)
            WHERE e.event_id = s.event_id AND e.lease_token = s.lease_token""";

    private final DataAccess data;
    private final DataSource dataSource;
    private final Clock clock;
    private final DatabaseClock databaseClock;
    private final EngineSettings settings;
    private final HandlerRegistry handlers;
    private final TenantResolver tenants;
    private final Outbox outbox;
    private final DoubleSupplier random;

    public EventProcessor(DataAccess data, Clock clock, DatabaseClock databaseClock, EngineSettings settings,
                          HandlerRegistry handlers, TenantResolver tenants, Outbox outbox) {
        this(data, clock, databaseClock, settings, handlers, tenants, outbox,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    EventProcessor(DataAccess data, Clock clock, DatabaseClock databaseClock, EngineSettings settings,
                   HandlerRegistry handlers, TenantResolver tenants, Outbox outbox, DoubleSupplier random) {
        this.data = data;
        this.dataSource = data.dataSource();
        this.clock = clock;
        this.databaseClock = databaseClock;
        this.settings = settings;
        this.handlers = handlers;
        this.tenants = tenants;
        this.outbox = outbox;
        this.random = random;
    }

    public EngineSettings settings() {
        return settings;
    }

    /**
     * Claims up to one batch of due rows for this node, in one short transaction.
     *
     * <p>A row whose previous lease ran out had an attempt that never finished: its node died in it, or it hung
     * past its lease. That attempt is recorded as {@code LEASE_EXPIRED} and counts like a failed one: when it was
     * the last the retry policy allows, the event goes to the dead letter here instead of running again, so an
     * event that kills or hangs every node that takes it stops after the configured attempts. The expired attempt
     * is timed by its lease (from the previous claim to this one), on the database's clock like the lease.
     */
    public List<InboxWorkItem> claim() throws SQLException {
        Instant now = clock.instant();
        Map<InboxWorkItem, String> deadLettered = new LinkedHashMap<>();
        List<InboxWorkItem> claimed = new ArrayList<>(Transactions.inTransaction(dataSource, connection -> {
            List<InboxWorkItem> items = INBOX.claim(connection, settings.nodeId(), settings.batchSize(), databaseClock,
                    settings.lease(), (row, lease) -> new InboxWorkItem(
                            row.getString("event_id"), row.getString("event_type"), row.getString("api_version"),
                            row.getBoolean("livemode"), row.getString("account_id"),
                            row.getTimestamp("stripe_created").toInstant(), row.getString("object_type"),
                            row.getString("object_id"), row.getString("customer_id"), row.getBytes("payload"),
                            row.getTimestamp("received_at").toInstant(), row.getInt("attempt_count") + 1,
                            row.getInt("cycle_attempts") + 1, lease, row.getString("assigned_tenant_id")));
            List<InboxWorkItem> runnable = new ArrayList<>(items.size());
            for (InboxWorkItem item : items) {
                if (!item.lease().tookOverExpiredLease()) {
                    runnable.add(item);
                    continue;
                }
                // The previous holder died or stalled: its attempt ends here, on the record.
                Instant takenOver = item.lease().claimedAt();
                Attempts.record(connection, item.eventId(), item.attempt() - 1, item.lease().previousOwner(),
                        item.lease().previousClaimedAt() == null ? takenOver : item.lease().previousClaimedAt(),
                        takenOver, AttemptOutcome.LEASE_EXPIRED.name(), null);
                int expiredAttempt = item.cycleAttempt() - 1;
                if (settings.retry().exhausted(expiredAttempt)) {
                    deadLettered.put(item, deadLetterUnfinished(connection, item, expiredAttempt, now));
                } else {
                    runnable.add(item);
                }
            }
            return runnable;
        }));
        deadLettered.forEach((item, reason) -> observed(item, AttemptOutcome.FAILED, null, reason, now, now));
        claimed.sort(STRIPE_ORDER);
        return claimed;
    }

    /** Sends an event whose last allowed attempt never finished to the dead letter, in the claim's transaction. */
    private String deadLetterUnfinished(Connection connection, InboxWorkItem item, int expiredAttempt, Instant now)
            throws SQLException {
        String reason = "attempt " + expiredAttempt + " of " + settings.retry().maxAttempts() + " never finished"
                + " (node " + item.lease().previousOwner() + " died or hung past its lease); dead-lettered";
        try (PreparedStatement update = connection.prepareStatement(SETTLE_SQL)) {
            bindSettle(update, item, InboxStatus.FAILED, reason, null, null, null, now, null);
            update.executeUpdate();
        }
        return reason;
    }

    private volatile ProcessingObserver observer = ProcessingObserver.NONE;

    /** Who is told of each settled attempt (metrics). */
    public void observeWith(ProcessingObserver observer) {
        this.observer = observer;
    }

    /**
     * One log line per settled attempt (the event's state change), on logger {@code io.billing.events} so that
     * operators can turn it down: event, type, tenant, attempt, new state, duration, and why where there is a
     * why. Never the payload.
     */
    private static final Logger EVENTS = Logger.getLogger("io.billing.events");

    private void observed(InboxWorkItem item, AttemptOutcome outcome, String tenantId, String detail, Instant started,
                          Instant finished) {
        Duration took = Duration.between(started, finished);
        observer.attempted(item.type(), outcome, took);
        Level level = outcome == AttemptOutcome.FAILED ? Level.WARNING : Level.INFO;
        if (EVENTS.isLoggable(level)) {
            // logp, naming where it logs from: otherwise the record walks the stack to find out, for every event
            // (half of the line's cost).
            EVENTS.logp(level, EventProcessor.class.getName(), "observed",
                    "event {0} {1} tenant={2} attempt={3} -> {4} in {5} ms{6}", new Object[] {item.eventId(),
                    item.type(), tenantId == null ? "-" : tenantId, Integer.toString(item.attempt()), outcome,
                    Long.toString(took.toMillis()), detail == null ? "" : ": " + detail});
        }
    }

    /** Runs one claimed event and settles it. Returns how the attempt ended. */
    public AttemptOutcome process(InboxWorkItem item) {
        Instant started = clock.instant();
        try {
            return runHandlers(item, started);
        } catch (Exception failure) {
            try {
                return recordFailure(item, started, failure);
            } catch (SQLException e) {
                // The database is gone too: the lease runs out and another attempt follows.
                LOG.log(Level.WARNING, "could not record the failed attempt of " + item.eventId(), e);
                return AttemptOutcome.LEASE_LOST;
            }
        }
    }

    /**
     * Runs a claimed batch. The fast path applies every event of the batch in one transaction (one commit,
     * and the status updates and attempt records sent as JDBC batches): each event still commits together
     * with its status and attempt record. If any event fails, or any lease was lost, that transaction is
     * rolled back as a whole and every event runs again alone, so one bad event costs its neighbours only
     * a second try and never their result.
     */
    public List<AttemptOutcome> processBatch(List<InboxWorkItem> batch) {
        if (batch.size() > 1) {
            try {
                List<AttemptOutcome> outcomes = runTogether(batch);
                if (outcomes != null) {
                    return outcomes;
                }
            } catch (Exception e) {
                LOG.log(Level.FINE, "a batch of " + batch.size() + " falls back to one transaction per event", e);
            }
        }
        List<AttemptOutcome> outcomes = new ArrayList<>(batch.size());
        for (InboxWorkItem item : batch) {
            outcomes.add(process(item));
        }
        return outcomes;
    }

    /**
     * What one event's handlers did, before the event is settled.
     *
     * @param line the event's line to keep ({@link EventSummaries#lineToKeep}); null when its body was not read
     */
    private record Applied(InboxWorkItem item, AttemptOutcome outcome, String reason, String tenantId,
                           String awaitingId, String line, Instant started, Instant finished) {
    }

    private List<AttemptOutcome> runTogether(List<InboxWorkItem> batch) throws Exception {
        try (UnitOfWork unit = begin()) {
            long deadline = System.nanoTime() + settings.attemptTimeout().toNanos();
            List<Applied> applied = new ArrayList<>(batch.size());
            for (InboxWorkItem item : batch) {
                applied.add(apply(unit, item, clock.instant()));
                checkDeadline(deadline, "a batch of " + batch.size());
            }
            if (!settleAll(unit.connection(), applied)) {
                return null; // rolled back on close
            }
            unit.commit();
            applied.forEach(a -> observed(a.item(), a.outcome(), a.tenantId(), a.reason(), a.started(), a.finished()));
            return applied.stream().map(Applied::outcome).toList();
        }
    }

    private AttemptOutcome runHandlers(InboxWorkItem item, Instant started) throws Exception {
        try (UnitOfWork unit = begin()) {
            long deadline = System.nanoTime() + settings.attemptTimeout().toNanos();
            Applied applied = apply(unit, item, started);
            checkDeadline(deadline, "the event");
            if (!settleAll(unit.connection(), List.of(applied))) {
                return AttemptOutcome.LEASE_LOST; // rolled back on close
            }
            unit.commit();
            observed(item, applied.outcome(), applied.tenantId(), applied.reason(), applied.started(),
                    applied.finished());
            return applied.outcome();
        }
    }

    /** A unit of work whose statements PostgreSQL holds to the attempt's time (wall-clock mechanics). */
    private UnitOfWork begin() throws SQLException {
        UnitOfWork unit = data.begin();
        try {
            StatementTimeout.limit(unit.connection(), settings.attemptTimeout());
            return unit;
        } catch (SQLException | RuntimeException e) {
            unit.close();
            throw e;
        }
    }

    /** Ends an attempt that ran past its time (wall clock), before its lease could run out under it. */
    private static void checkDeadline(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new AttemptTimedOutException(what + " ran longer than the attempt's time (half the lease);"
                    + " rolled back before another node could take it over");
        }
    }

    /**
     * Resolves the tenant and runs the handlers for one event, in the caller's unit of work. The entity changes
     * are flushed after each handler: a later handler's SQL sees them, and a constraint error is this event's. An
     * event of a Stripe mode this service does not apply (a test-mode purchase in production) changes nothing and
     * ends ignored, with the reason.
     */
    private Applied apply(UnitOfWork unit, InboxWorkItem item, Instant started) throws Exception {
        Connection connection = unit.connection();
        if (!settings.modes().applies(item.livemode())) {
            return new Applied(item, AttemptOutcome.IGNORED, settings.modes().ignoredBecause(item.livemode()), null,
                    null, null, started, clock.instant());
        }
        List<EventHandler> forType = handlers.handlersFor(item.type());
        if (forType.isEmpty()) {
            return new Applied(item, AttemptOutcome.IGNORED, "no handler for " + item.type(), null, null, null,
                    started, clock.instant());
        }
        StripeEventJson json = StripeEventJson.parse(item.payload());
        String line = lineToKeep(json);
        TenantResolver.Resolution tenant = forType.stream().anyMatch(EventHandler::tenantScoped)
                ? tenants.resolve(item, json, unit) : TenantResolver.Resolution.of(null);
        if (tenant.tenantId() == null && tenant.unmappedReason() != null) {
            return new Applied(item, AttemptOutcome.UNMAPPED, tenant.unmappedReason(), null, tenant.awaitingId(),
                    line, started, clock.instant());
        }
        HandlingContext context = new HandlingContext(item, json, tenant.tenantId(), unit.entityManager(), connection,
                started, outbox);
        for (EventHandler handler : forType) {
            handler.handle(context);
            unit.flush();
        }
        // The next event of the batch starts with an empty persistence context: without this, every flush
        // would compare all the entities the batch has touched so far, and the batch's cost would grow with
        // the square of its size.
        unit.entityManager().clear();
        // A processed event's reason says where its tenant came from: the first thing support asks.
        String why = tenant.source() == null ? null : "tenant " + tenant.tenantId() + " from " + tenant.source();
        return new Applied(item, AttemptOutcome.PROCESSED, why, tenant.tenantId(), null, line, started,
                clock.instant());
    }

    /** The event's line, kept when it settles; a body no line can be made of must not fail its event. */
    private static String lineToKeep(StripeEventJson json) {
        try {
            return EventSummaries.lineToKeep(json.event());
        } catch (RuntimeException unreadable) {
            LOG.log(Level.FINE, "no line kept for an event", unreadable);
            return null;
        }
    }

    /**
     * Settles applied events and records their attempts. The lease is checked here, at the end, by the
     * settling update itself rather than by locking the row first: a node whose lease ran out meanwhile
     * finds another token, and its caller rolls the whole attempt back; the node that took the event
     * over applies it. Returns false if any lease was lost.
     */
    private boolean settleAll(Connection connection, List<Applied> applied) throws SQLException {
        boolean allHeld = Databases.isPostgres(connection)
                ? settleInOneStatement(connection, applied) : settleEach(connection, applied);
        if (!allHeld) {
            return false;
        }
        List<Attempts.Attempt> attempts = new ArrayList<>(applied.size());
        for (Applied a : applied) {
            attempts.add(new Attempts.Attempt(a.item().eventId(), a.item().attempt(), settings.nodeId(), a.started(),
                    a.finished(), a.outcome().name(), null));
        }
        Attempts.recordAll(connection, attempts);
        return true;
    }

    /** PostgreSQL: every applied event in one statement; false unless each still held its lease. */
    private static boolean settleInOneStatement(Connection connection, List<Applied> applied) throws SQLException {
        int size = applied.size();
        String[] ids = new String[size];
        String[] tokens = new String[size];
        String[] statuses = new String[size];
        String[] reasons = new String[size];
        String[] changed = new String[size];
        String[] tenantIds = new String[size];
        String[] awaitingIds = new String[size];
        String[] lines = new String[size];
        for (int i = 0; i < size; i++) {
            Applied a = applied.get(i);
            ids[i] = a.item().eventId();
            tokens[i] = a.item().lease().token();
            statuses[i] = a.outcome().status().name();
            reasons[i] = a.reason();
            changed[i] = a.finished().toString(); // ISO-8601 in UTC: no session time zone applies
            tenantIds[i] = a.tenantId();
            awaitingIds[i] = a.awaitingId();
            lines[i] = a.line();
        }
        try (PreparedStatement update = connection.prepareStatement(SETTLE_ALL_SQL)) {
            int at = 1;
            for (String[] column : List.of(ids, tokens, statuses, reasons, changed, tenantIds, awaitingIds, lines)) {
                update.setArray(at++, connection.createArrayOf("varchar", column));
            }
            return update.executeUpdate() == size;
        }
    }

    /** Elsewhere (H2, which has no {@code UPDATE … FROM}): one statement per event, sent as one JDBC batch. */
    private static boolean settleEach(Connection connection, List<Applied> applied) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(SETTLE_SQL)) {
            for (Applied a : applied) {
                bindSettle(update, a.item(), a.outcome().status(), a.reason(), a.tenantId(), a.awaitingId(),
                        a.line(), a.finished(), null);
                update.addBatch();
            }
            for (int count : update.executeBatch()) {
                if (count != 1) {
                    return false;
                }
            }
        }
        return true;
    }

    private AttemptOutcome recordFailure(InboxWorkItem item, Instant started, Exception failure) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (!INBOX.lockLeased(connection, item.eventId(), item.lease().token())) {
                    connection.rollback();
                    return AttemptOutcome.LEASE_LOST;
                }
                Instant finished = clock.instant();
                DeadLetterException verdict = deadLetterVerdict(failure);
                boolean deadLetter = verdict != null || settings.retry().exhausted(item.cycleAttempt());
                AttemptOutcome outcome = deadLetter ? AttemptOutcome.FAILED : AttemptOutcome.RETRY_SCHEDULED;
                Instant due = deadLetter ? null
                        : databaseClock.now(connection).plus(settings.retry().delay(item.cycleAttempt(), random));
                Throwable why = verdict != null ? verdict : failure;
                String reason = why.getClass().getSimpleName() + ": " + why.getMessage();
                try (PreparedStatement update = connection.prepareStatement(SETTLE_SQL)) {
                    bindSettle(update, item, outcome.status(), Attempts.truncate(reason, Attempts.MAX_MESSAGE), null,
                            null, null, finished, due);
                    update.executeUpdate();
                }
                Attempts.record(connection, item.eventId(), item.attempt(), settings.nodeId(), started, finished,
                        outcome.name(), failure);
                connection.commit();
                observed(item, outcome, null, reason + (verdict != null ? "; dead-lettered at once, no retry can mend it"
                        : deadLetter ? "; dead-lettered" : "; retry at " + due), started, finished);
                return outcome;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /**
     * A handler's finding that retrying cannot mend the event ({@link DeadLetterException}), among the failure and its
     * causes (a handler's exception may reach the engine wrapped by the persistence provider); null for any other
     * failure, which is retried.
     */
    private static DeadLetterException deadLetterVerdict(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DeadLetterException verdict) {
                return verdict;
            }
        }
        return null;
    }

    private static void bindSettle(PreparedStatement update, InboxWorkItem item, InboxStatus status, String reason,
                                   String tenantId, String awaitingId, String line, Instant now, Instant due)
            throws SQLException {
        update.setString(1, status.name());
        update.setString(2, reason);
        update.setTimestamp(3, Timestamp.from(now));
        update.setString(4, tenantId);
        update.setString(5, awaitingId);
        update.setTimestamp(6, due == null ? null : Timestamp.from(due));
        update.setString(7, line);
        update.setString(8, item.eventId());
        update.setString(9, item.lease().token());
    }

    /** Re-queues parked events whose awaited mapping or payment has arrived (see {@link InboxRequeue}). */
    public int sweepUnmapped() throws SQLException {
        return Transactions.inTransaction(dataSource, connection ->
                InboxRequeue.parkedNowResolvable(connection, clock.instant()));
    }
}
