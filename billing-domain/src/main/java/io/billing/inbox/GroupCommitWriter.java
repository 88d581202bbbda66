package io.billing.inbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Stores events in the inbox with group commit.
 *
 * <p>A commit that waits for the disk costs about the same for one row as for a hundred, so committing
 * each request on its own caps the intake at the disk's flush rate. Here request threads only enqueue
 * their event and wait; a few writer threads each take whatever has queued up, write it as one JDBC
 * batch in one transaction and then release every waiting request together. While one writer is
 * committing, the next batch gathers, so batches grow by themselves with the load and a lone request
 * is written at once. A request is answered only after the transaction holding its row has committed,
 * so a success still means durably stored.
 *
 * <p>The rows are written by {@link InboxInserts}: a new event is stored, a repeat gets its delivery count
 * bumped in the same transaction. Rows are
 * written in event id order so two writers that share an id cannot deadlock. A batch that fails on bad
 * data is retried row by row so that one poisoned event cannot fail its neighbours.
 */
public final class GroupCommitWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GroupCommitWriter.class.getName());

    private final DataSource dataSource;
    private final Clock clock;
    private final Settings settings;
    private final BlockingQueue<Pending> queue;
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean accepting = true;
    private volatile boolean running = true;

    /**
     * @param writerThreads how many transactions may be in flight at once
     * @param maxBatchSize  most events in one transaction
     * @param queueCapacity events that may wait for a writer before new ones are refused
     * @param commitTimeout how long a request waits for its commit before it is told to retry
     */
    public record Settings(int writerThreads, int maxBatchSize, int queueCapacity, Duration commitTimeout) {
        public Settings {
            if (writerThreads < 1 || maxBatchSize < 1 || queueCapacity < 1 || commitTimeout.isNegative()) {
                throw new IllegalArgumentException("invalid inbox writer settings: " + this);
            }
        }
    }

    private record Pending(EventEnvelope event, CompletableFuture<StoreOutcome> result) {
    }

    public GroupCommitWriter(DataSource dataSource, Clock clock, Settings settings, ThreadFactory threadFactory) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        for (int i = 0; i < settings.writerThreads(); i++) {
            Thread writer = threadFactory.newThread(this::writeLoop);
            writer.setName("inbox-writer-" + i);
            writer.setDaemon(true);
            writers.add(writer);
        }
        writers.forEach(Thread::start);
    }

    /**
     * Stores one delivery and returns once it is committed.
     *
     * @throws InboxUnavailableException when the commit failed, did not finish within the commit timeout,
     *                                   or the writer is saturated or closed
     */
    public StoreOutcome store(EventEnvelope event) throws InboxUnavailableException {
        CompletableFuture<StoreOutcome> result = new CompletableFuture<>();
        if (!accepting) {
            throw new InboxUnavailableException("The event inbox is shutting down.");
        }
        if (!queue.offer(new Pending(event, result))) {
            throw new InboxUnavailableException("The event inbox is saturated.");
        }
        try {
            return result.get(settings.commitTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new InboxUnavailableException("The database did not confirm the write in time.", e);
        } catch (ExecutionException e) {
            throw new InboxUnavailableException("The database refused the write.", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InboxUnavailableException("Interrupted while waiting for the database.", e);
        }
    }

    /** How many deliveries are waiting for a writer right now (for tests and metrics). */
    public int queuedCount() {
        return queue.size();
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(settings.maxBatchSize());
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, settings.maxBatchSize() - 1);
                writeBatch(batch);
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (RuntimeException e) {
                // Never let a writer die: fail the batch and carry on with the next one.
                LOG.log(Level.SEVERE, "Unexpected error in the inbox writer", e);
                batch.forEach(p -> p.result().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void writeBatch(List<Pending> batch) {
        batch.sort(Comparator.comparing(p -> p.event().eventId()));
        try {
            List<StoreOutcome> outcomes = writeInOneTransaction(batch);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(outcomes.get(i));
            }
        } catch (SQLException e) {
            if (batch.size() > 1 && isDataProblem(e)) {
                LOG.log(Level.WARNING, "An inbox batch of {0} failed on its data ({1}); retrying row by row",
                        new Object[]{batch.size(), e.getSQLState()});
                for (Pending single : batch) {
                    writeBatch(new ArrayList<>(List.of(single)));
                }
                return;
            }
            LOG.log(Level.WARNING, "Could not store {0} inbox event(s): {1} (SQLState {2})",
                    new Object[]{batch.size(), e.getMessage(), e.getSQLState()});
            batch.forEach(p -> p.result().completeExceptionally(e));
        }
    }

    private List<StoreOutcome> writeInOneTransaction(List<Pending> batch) throws SQLException {
        Timestamp now = Timestamp.from(clock.instant());
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<EventEnvelope> events = batch.stream().map(Pending::event).toList();
                List<StoreOutcome> outcomes = InboxInserts.insert(connection, events, now);
                InboxInserts.countRedeliveries(connection, events, outcomes, now);
                connection.commit();
                return outcomes;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    /** SQLState classes 22 (data exception) and 23 (integrity constraint): the rows, not the database. */
    private static boolean isDataProblem(SQLException e) {
        for (SQLException next = e; next != null; next = next.getNextException()) {
            String state = next.getSQLState();
            if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    /** Stops taking events, lets the writers finish what is queued (bounded), then stops them. */
    @Override
    public void close() {
        accepting = false;
        // Wall-clock mechanics, not business time: the injected clock may be frozen in tests.
        long deadline = System.nanoTime() + settings.commitTimeout().toNanos();
        try {
            while (!queue.isEmpty() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running = false;
        for (Thread writer : writers) {
            writer.interrupt();
            try {
                writer.join(settings.commitTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new InboxUnavailableException("The event inbox is shutting down."));
        }
    }
}
