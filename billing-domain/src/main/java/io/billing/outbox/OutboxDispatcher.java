package io.billing.outbox;

import io.billing.platform.persistence.Transactions;
import io.billing.platform.queue.LeasedWorkQueue;
import io.billing.platform.queue.RetryPolicy;
import io.billing.platform.time.DatabaseClock;
import io.billing.platform.queue.WorkSignal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Delivers outbox messages, several at once, in lanes: a lane per destination, and for the destinations that
 * send each tenant to a receiver of its own, per tenant. A slow or failing receiver fills only its own lane.
 *
 * <p>One loop claims (under a lease, like the inbox's workers) only messages it can send at once: no more than
 * {@link Settings#laneConcurrency()} per lane and {@link Settings#concurrency()} in all are out at a time. The
 * claim passes over the due messages of a full or paused lane and leaves them untouched, still due, for a later
 * claim or another node. Each claimed message goes at once to a sending thread; its lease is sized to its
 * transport's time limit ({@link OutboxTransport#timeLimit()}) plus {@link Settings#leaseMargin()}, so it cannot
 * run out while this node may still be sending it, however long other messages take. The sending thread
 * delivers outside any transaction, then records the attempt and settles the message.
 *
 * <p>A transport's result and a transport's exception are the same thing: an exception is a failure worth
 * retrying, recorded, retried with backoff and dead-lettered like an error answer.
 *
 * <p>A lane whose receiver fails {@link Settings#breakerThreshold()} times in a row is paused by its
 * {@link CircuitBreaker} for {@link Settings#breakerCoolDown()}: its waiting messages are moved to the end of the
 * cool-down (in the database, so the pause holds for every node) and keep their attempt counts. Then one trial
 * message goes; its success resumes the lane.
 *
 * <p>A crash after the delivery and before the settling leaves the message leased; when the lease runs out it
 * is delivered again with the same idempotency key, which the receiver uses to drop the repeat. So nothing is
 * lost, and nothing reaches a receiver that honours the key twice. Messages of one lane go out side by side:
 * receivers get no order, as they never did across retries and nodes.
 *
 * <p>Leases and retry due times come from the {@link DatabaseClock}, shared by every node; the attempts' times and
 * the breakers' cool-downs (this node's own state) from the node's {@link Clock}.
 */
public final class OutboxDispatcher implements AutoCloseable {

    public static final String SENDING = "SENDING";
    public static final String DELIVERED = "DELIVERED";
    public static final String RETRY_SCHEDULED = "RETRY_SCHEDULED";
    public static final String FAILED = "FAILED";

    /**
     * How one node sends.
     *
     * @param laneConcurrency  messages out at once in one lane
     * @param concurrency      messages out at once in all lanes together: the node's sending threads
     * @param breakerThreshold failures in a row that pause a lane
     * @param breakerCoolDown  how long a paused lane waits before its trial message
     * @param leaseMargin      added to a transport's time limit for a message's lease: time to record the result
     * @param tenantLanes      destinations that send each tenant to a receiver of its own: a lane per tenant
     */
    public record Settings(int laneConcurrency, int concurrency, int breakerThreshold, Duration breakerCoolDown,
                           Duration leaseMargin, Set<String> tenantLanes) {

        public static final Settings DEFAULT = new Settings(3, 16, 5, Duration.ofSeconds(60), Duration.ofSeconds(30),
                Set.of());

        public Settings {
            if (laneConcurrency < 1 || concurrency < 1 || breakerThreshold < 1) {
                throw new IllegalArgumentException("lane and overall concurrency and the breaker's threshold must be"
                        + " at least 1");
            }
            if (breakerCoolDown.isNegative() || breakerCoolDown.isZero() || leaseMargin.isNegative()) {
                throw new IllegalArgumentException("a positive cool-down and a lease margin of 0 or more expected");
            }
            tenantLanes = Set.copyOf(tenantLanes);
        }

        public Settings withTenantLanes(Set<String> destinations) {
            return new Settings(laneConcurrency, concurrency, breakerThreshold, breakerCoolDown, leaseMargin,
                    destinations);
        }
    }

    static final LeasedWorkQueue OUTBOX = new LeasedWorkQueue("outbox_message", "idempotency_key", SENDING,
            "idempotency_key, destination, tenant_id, source_event_id, payload, attempt_count, cycle_attempts",
            List.of("cycle_attempts"));

    private static final Logger LOG = Logger.getLogger(OutboxDispatcher.class.getName());
    /** How long stopping waits for the messages being sent before it cuts them off (their leases hand them on). */
    private static final long SHUTDOWN_GRACE_SECONDS = 10;
    /** A bound on one step's claims; the loop claims again at once after a step that claimed something. */
    private static final int MAX_PASSES = 16;

    private static final String SETTLE_SQL = """
            UPDATE outbox_message SET status = ?, status_reason = ?, due_at = ?, delivered_at = ?,
                   lease_owner = NULL, lease_token = NULL
            WHERE idempotency_key = ?""";
    private static final String ATTEMPT_SQL = """
            INSERT INTO outbox_attempt (idempotency_key, attempt_no, node_id, started_at, finished_at, outcome,
                                        http_status, error_message)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";
    /** Moves a paused lane's waiting messages (never one being sent) to the end of its cool-down. */
    private static final String PAUSE_SQL = """
            UPDATE outbox_message SET due_at = ?
            WHERE due_at < ? AND destination = ? AND status <> 'SENDING'""";

    private record Sending(OutboxMessage message, Lanes.Slot slot) {
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final DatabaseClock databaseClock;
    private final String nodeId;
    private final Map<String, OutboxTransport> transports;
    private final RetryPolicy retry;
    private final Settings settings;
    private final Lanes lanes;
    private final ThreadPoolExecutor senders;
    /** Raised each time a message's sending ends: a lane may have room again. */
    private final WorkSignal finished = new WorkSignal();
    private volatile long finishedBeforeClaim;
    private volatile boolean closed;

    /**
     * @param threads makes the sending threads (the container's managed thread factory in the application)
     */
    public OutboxDispatcher(DataSource dataSource, Clock clock, DatabaseClock databaseClock, String nodeId,
                            Map<String, OutboxTransport> transports, RetryPolicy retry, Settings settings,
                            ThreadFactory threads) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.databaseClock = databaseClock;
        this.nodeId = nodeId;
        this.transports = Map.copyOf(transports);
        this.retry = retry;
        this.settings = settings;
        this.lanes = new Lanes(settings.laneConcurrency(), settings.concurrency(), settings.breakerThreshold(),
                settings.breakerCoolDown(), clock);
        AtomicInteger count = new AtomicInteger();
        // One pool for every lane: the lanes' limits are counted when claiming, so the pool (as large as the
        // overall limit) always has a thread free for a claimed message and its queue stays empty. A pool per lane
        // would mean a pool per tenant with a callback.
        this.senders = new ThreadPoolExecutor(settings.concurrency(), settings.concurrency(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = threads.newThread(task);
                    thread.setName("billing-outbox-send-" + nodeId + "-" + count.incrementAndGet());
                    return thread;
                });
        this.senders.allowCoreThreadTimeOut(true);
    }

    /** Who else hears of each lane its breaker pauses (a metric). */
    public void onLanePaused(Consumer<Lane> listener) {
        lanes.onOpened(listener);
    }

    /** The lane a message to {@code destination} for {@code tenantId} goes in. */
    public Lane laneOf(String destination, String tenantId) {
        return settings.tenantLanes().contains(destination)
                ? new Lane(destination, tenantId == null ? "" : tenantId) : new Lane(destination, null);
    }

    /** The lane's breaker on this node. */
    public CircuitBreaker.State breakerState(Lane lane) {
        return lanes.state(lane);
    }

    /** How many lanes of a destination this node's breakers pause now (open, their cool-down running). */
    public long pausedLanes(String destination) {
        return lanes.paused(destination);
    }

    /** How many messages this node is sending now. */
    public int sending() {
        return lanes.sending();
    }

    /**
     * Claims the due messages this node can send now and hands them to sending threads; returns at once, with how
     * many it claimed.
     */
    public int dispatchOnce() throws SQLException {
        finishedBeforeClaim = finished.generation();
        int claimed = 0;
        for (int pass = 0; pass < MAX_PASSES && !closed; pass++) {
            int free = lanes.free();
            if (free <= 0) {
                break;
            }
            Map<String, Lanes.Slot> slots = new HashMap<>();
            AtomicInteger passedOver = new AtomicInteger();
            List<Sending> batch;
            try {
                batch = Transactions.inTransaction(dataSource, connection -> OUTBOX.claim(connection, nodeId, free,
                        databaseClock, excluding(lanes.blocked()), row -> {
                            String destination = row.getString("destination");
                            Lanes.Slot slot = lanes.take(laneOf(destination, row.getString("tenant_id")));
                            if (slot == null) { // its lane filled up during this claim
                                passedOver.incrementAndGet();
                                return null;
                            }
                            slots.put(row.getString("idempotency_key"), slot);
                            return timeLimit(destination).plus(settings.leaseMargin());
                        }, (row, lease) -> new Sending(new OutboxMessage(row.getString("idempotency_key"),
                                row.getString("destination"), row.getString("tenant_id"),
                                row.getString("source_event_id"), row.getString("payload"),
                                row.getInt("attempt_count") + 1, row.getInt("cycle_attempts") + 1, lease),
                                slots.get(row.getString("idempotency_key")))));
            } catch (SQLException | RuntimeException e) {
                slots.values().forEach(slot -> lanes.release(slot, false));
                throw e;
            }
            for (Sending sending : batch) {
                submit(sending);
            }
            claimed += batch.size();
            if (passedOver.get() == 0) {
                break; // nothing was left for want of room: another pass would find nothing new
            }
        }
        return claimed;
    }

    /**
     * The dispatcher loop's wait after a step that claimed nothing: until a message's sending ends (its lane has
     * room again) or {@code millis} pass.
     */
    public void awaitRoom(long millis) throws InterruptedException {
        finished.awaitAfter(finishedBeforeClaim, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Dispatches on the calling thread until nothing is due that this node could send, and waits for what it
     * sent. Returns how many messages it claimed. Tests drive the dispatcher with this.
     */
    public int drain() throws SQLException {
        int total = 0;
        while (true) {
            long seen = finished.generation();
            boolean nothingOut = lanes.sending() == 0; // before the claim: it sees every result settled
            int claimed = dispatchOnce();
            total += claimed;
            if (claimed == 0 && nothingOut) {
                return total;
            }
            if (claimed == 0) {
                try {
                    finished.awaitAfter(seen, 1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return total;
                }
            }
        }
    }

    /**
     * Stops claiming, lets the messages being sent finish for up to ten seconds, then cuts the rest off. A message
     * cut off is not settled: its lease runs out and it is sent again, by another node or after the restart, with
     * the same key.
     */
    @Override
    public void close() {
        closed = true;
        senders.shutdown();
        try {
            if (!senders.awaitTermination(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS)) {
                senders.shutdownNow();
                senders.awaitTermination(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            senders.shutdownNow();
            Thread.currentThread().interrupt();
        }
        finished.wakeAll();
    }

    private void submit(Sending sending) {
        try {
            senders.execute(() -> send(sending));
        } catch (RejectedExecutionException e) { // stopping: the lease hands the message on
            lanes.release(sending.slot(), false);
        }
    }

    private void send(Sending sending) {
        OutboxMessage message = sending.message();
        Lane lane = sending.slot().lane();
        boolean reported = false;
        try {
            Instant started = clock.instant();
            OutboxTransport.Result result = deliver(message);
            Instant finishedAt = clock.instant();
            boolean cutOff = Thread.interrupted(); // the node is stopping (close)
            if (cutOff && !result.delivered()) {
                LOG.info(() -> "outbox message " + message.idempotencyKey() + " cut off by the node's shutdown;"
                        + " its lease hands it on");
                Thread.currentThread().interrupt();
                return;
            }
            // One result of a lane at a time, from the breaker's verdict to the message's row: a retry settled
            // before its lane's pause is moved by it, one settled after it is held by the settling itself.
            synchronized (lanes.settling(sending.slot())) {
                Instant pausedNowUntil = lanes.report(sending.slot(), result.delivered() || result.permanent());
                reported = true;
                try {
                    settle(message, result, started, finishedAt, lane);
                } finally {
                    if (pausedNowUntil != null) {
                        pause(lane, pausedNowUntil);
                    }
                }
            }
            if (cutOff) {
                Thread.currentThread().interrupt();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "could not record the attempt of outbox message " + message.idempotencyKey()
                    + "; its lease hands it on", e);
        } catch (Error e) {
            LOG.log(Level.SEVERE, "sending outbox message " + message.idempotencyKey() + " ended unexpectedly;"
                    + " its lease hands it on", e);
            throw e;
        } finally {
            lanes.release(sending.slot(), reported);
            finished.workArrived();
        }
    }

    private OutboxTransport.Result deliver(OutboxMessage message) {
        OutboxTransport transport = transports.get(message.destination());
        if (transport == null) {
            return new OutboxTransport.Result(false, false, null, "no transport configured for "
                    + message.destination());
        }
        try {
            return transport.deliver(message);
        } catch (RuntimeException e) { // a refused connection or a timeout the transport did not turn into a result
            return new OutboxTransport.Result(false, false, null,
                    message.destination() + " unreachable: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private Duration timeLimit(String destination) {
        OutboxTransport transport = transports.get(destination);
        return transport == null ? OutboxTransport.DEFAULT_TIME_LIMIT : transport.timeLimit();
    }

    /** Records the attempt and settles the message. A retry waits at least until its lane's pause ends. */
    private void settle(OutboxMessage message, OutboxTransport.Result result, Instant started, Instant finishedAt,
                        Lane lane) throws SQLException {
        String settled;
        Duration retryIn = null;
        if (result.delivered()) {
            settled = DELIVERED;
        } else if (result.permanent() || retry.exhausted(message.cycleAttempt())) {
            settled = FAILED;
        } else {
            settled = RETRY_SCHEDULED;
            retryIn = retry.delay(message.cycleAttempt(), () -> ThreadLocalRandom.current().nextDouble());
            Duration pauseLeft = pauseLeft(lane);
            if (pauseLeft.compareTo(retryIn) > 0) {
                retryIn = pauseLeft;
            }
        }
        Duration delay = retryIn;
        Transactions.inTransaction(dataSource, connection -> {
            if (!OUTBOX.lockLeased(connection, message.idempotencyKey(), message.lease().token())) {
                return null; // our lease ran out and another node has the message now
            }
            Instant dueAt = delay == null ? null : databaseClock.now(connection).plus(delay);
            try (PreparedStatement attempt = connection.prepareStatement(ATTEMPT_SQL)) {
                attempt.setString(1, message.idempotencyKey());
                attempt.setInt(2, message.attempt());
                attempt.setString(3, nodeId);
                attempt.setTimestamp(4, Timestamp.from(started));
                attempt.setTimestamp(5, Timestamp.from(finishedAt));
                attempt.setString(6, settled);
                if (result.httpStatus() == null) {
                    attempt.setNull(7, Types.INTEGER);
                } else {
                    attempt.setInt(7, result.httpStatus());
                }
                attempt.setString(8, result.detail());
                attempt.executeUpdate();
            }
            try (PreparedStatement update = connection.prepareStatement(SETTLE_SQL)) {
                update.setString(1, settled);
                update.setString(2, result.detail());
                update.setTimestamp(3, dueAt == null ? null : Timestamp.from(dueAt));
                update.setTimestamp(4, result.delivered() ? Timestamp.from(finishedAt) : null);
                update.setString(5, message.idempotencyKey());
                update.executeUpdate();
            }
            return null;
        });
        if (!result.delivered()) {
            LOG.log(Level.INFO, "outbox message {0} to {1}, attempt {2}: {3} ({4})",
                    new Object[] {message.idempotencyKey(), message.destination(), message.attempt(), settled,
                            result.detail()});
        }
    }

    /**
     * Holds a paused lane's waiting messages until its cool-down ends; their attempts are not touched. Should the
     * database fail here, the breaker still pauses the lane on this node.
     */
    private void pause(Lane lane, Instant until) {
        String sql = lane.perTenant() ? PAUSE_SQL + " AND COALESCE(tenant_id, '') = ?" : PAUSE_SQL;
        Duration left = Duration.between(clock.instant(), until);
        try {
            int held = Transactions.inTransaction(dataSource, connection -> {
                Instant heldUntil = databaseClock.now(connection).plus(left);
                try (PreparedStatement update = connection.prepareStatement(sql)) {
                    update.setTimestamp(1, Timestamp.from(heldUntil));
                    update.setTimestamp(2, Timestamp.from(heldUntil));
                    update.setString(3, lane.destination());
                    if (lane.perTenant()) {
                        update.setString(4, lane.tenantId());
                    }
                    return update.executeUpdate();
                }
            });
            LOG.warning(() -> "outbox lane " + lane + " paused until " + until + " after " + settings.breakerThreshold()
                    + " failures in a row (or a failed trial); " + held + " waiting message(s) held");
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "outbox lane " + lane + " paused until " + until + " on this node; its waiting"
                    + " messages could not be held", e);
        }
    }

    /** How much longer the lane's breaker pauses it on this node's clock; zero when it does not. */
    private Duration pauseLeft(Lane lane) {
        Instant pausedUntil = lanes.pausedUntil(lane);
        if (pausedUntil == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), pausedUntil);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** The claim's condition that passes over the lanes that can take nothing now. */
    private static LeasedWorkQueue.Filter excluding(List<Lane> blocked) {
        if (blocked.isEmpty()) {
            return LeasedWorkQueue.Filter.ALL;
        }
        StringBuilder sql = new StringBuilder();
        List<Object> parameters = new ArrayList<>();
        List<String> destinations = blocked.stream().filter(lane -> !lane.perTenant()).map(Lane::destination).toList();
        if (!destinations.isEmpty()) {
            sql.append(" AND destination NOT IN (").append(marks(destinations.size())).append(')');
            parameters.addAll(destinations);
        }
        Map<String, List<String>> tenants = blocked.stream().filter(Lane::perTenant).collect(Collectors.groupingBy(
                Lane::destination, TreeMap::new, Collectors.mapping(Lane::tenantId, Collectors.toList())));
        tenants.forEach((destination, ids) -> {
            sql.append(" AND NOT (destination = ? AND COALESCE(tenant_id, '') IN (").append(marks(ids.size()))
                    .append("))");
            parameters.add(destination);
            parameters.addAll(ids);
        });
        return new LeasedWorkQueue.Filter(sql.toString(), parameters);
    }

    private static String marks(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }
}
