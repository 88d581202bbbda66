package io.billing.processing;

import io.billing.platform.queue.LoopSupervisor;
import io.billing.platform.queue.PollingLoop;
import io.billing.platform.queue.WorkSignal;
import io.billing.processing.handler.InboxWorkItem;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * One node's workers. Each worker claims a small batch of due events, runs them in one transaction (each in its
 * own when the batch fails, see {@link EventProcessor#processBatch}) and claims again; when nothing is due it sleeps
 * until new work is signalled or the idle poll passes. Workers never wait for each other: a slow tenant's event
 * occupies one worker, and the other workers' claims skip its locked rows.
 *
 * <p>The engine holds no state of its own beyond its threads: every node can stop, die or start at any
 * time, and the leases in the inbox hand its unfinished work to the others.
 */
public final class ProcessingEngine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ProcessingEngine.class.getName());
    /** A woken worker's pause before it claims: milliseconds of lag for batches instead of single events. */
    private static final long WAKE_LINGER_MILLIS = 10;
    /** How often an idle node sweeps for parked events it can now resolve. */
    private static final Duration IDLE_SWEEP_INTERVAL = Duration.ofSeconds(2);
    /**
     * How often a busy node sweeps all the same: under a standing backlog no claim comes back empty, and an event
     * parked while another worker committed its mapping would otherwise wait until the backlog is gone.
     */
    static final Duration BUSY_SWEEP_INTERVAL = Duration.ofSeconds(30);

    private final AtomicLong lastSweepNanos = new AtomicLong(System.nanoTime());

    private final EventProcessor processor;
    private final WorkSignal signal;
    private final ThreadFactory threads;
    private final LoopSupervisor supervisor;
    private final List<Thread> workers = new ArrayList<>();
    private final Duration busySweepInterval;
    private volatile boolean running;

    /** An engine whose workers are restarted with the supervisor's defaults when they die. */
    public ProcessingEngine(EventProcessor processor, WorkSignal signal, ThreadFactory threads) {
        this(processor, signal, threads, LoopSupervisor.defaults());
    }

    public ProcessingEngine(EventProcessor processor, WorkSignal signal, ThreadFactory threads,
                            LoopSupervisor supervisor) {
        this(processor, signal, threads, supervisor, BUSY_SWEEP_INTERVAL);
    }

    ProcessingEngine(EventProcessor processor, WorkSignal signal, ThreadFactory threads, LoopSupervisor supervisor,
                     Duration busySweepInterval) {
        this.processor = processor;
        this.signal = signal;
        this.threads = threads;
        this.supervisor = supervisor;
        this.busySweepInterval = busySweepInterval;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        EngineSettings settings = processor.settings();
        for (int i = 0; i < settings.workers(); i++) {
            String name = "billing-worker-" + settings.nodeId() + "-" + i;
            Thread worker = threads.newThread(new PollingLoop(name, this::step, this::awaitWork,
                    settings.idlePoll().toMillis(), () -> running, supervisor));
            worker.setName(name);
            worker.start();
            workers.add(worker);
        }
        LOG.info(() -> "processing engine started on node " + settings.nodeId() + " with " + settings.workers()
                + " workers");
    }

    /**
     * Claims and runs one batch on the calling thread. Returns how many events it claimed (0 when nothing
     * was due). Tests drive the engine with this instead of threads, one step at a time.
     */
    public int runOnce() throws SQLException {
        List<InboxWorkItem> batch = processor.claim();
        processor.processBatch(batch);
        return batch.size();
    }

    /** The signal's generation each worker saw before its last claim, so a signal during the claim counts. */
    private final ThreadLocal<Long> seenBeforeClaim = ThreadLocal.withInitial(() -> 0L);

    /**
     * One worker's turn: claims and runs a batch, then, when this node's sweep is due (idle for 2 s, or busy for its
     * longer interval), looks for parked events whose wait is over (see the inbox's InboxRequeue). Returns how many
     * events it claimed or re-queued; 0 lets the worker wait.
     */
    int step() throws SQLException {
        seenBeforeClaim.set(signal.generation());
        int ran = runOnce();
        long now = System.nanoTime();
        long last = lastSweepNanos.get();
        Duration interval = ran == 0 ? IDLE_SWEEP_INTERVAL : busySweepInterval;
        if (now - last > interval.toNanos() && lastSweepNanos.compareAndSet(last, now)) {
            return ran + processor.sweepUnmapped(); // one worker of this node at a time
        }
        return ran;
    }

    private void awaitWork(long millis) throws InterruptedException {
        if (signal.awaitAfter(seenBeforeClaim.get(), millis, TimeUnit.MILLISECONDS)) {
            // Woken by new work: let a few more events land so that one claim takes them together.
            TimeUnit.MILLISECONDS.sleep(WAKE_LINGER_MILLIS);
        }
    }

    /**
     * Runs batches on the calling thread until nothing is due, parked events whose mapping or payment
     * has arrived included. Returns the number of events run.
     */
    public int drain() throws SQLException {
        int total = 0;
        do {
            for (int ran = runOnce(); ran > 0; ran = runOnce()) {
                total += ran;
            }
        } while (processor.sweepUnmapped() > 0);
        return total;
    }

    @Override
    public synchronized void close() {
        running = false;
        signal.wakeAll();
        for (Thread worker : workers) {
            try {
                worker.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        workers.clear();
    }
}
