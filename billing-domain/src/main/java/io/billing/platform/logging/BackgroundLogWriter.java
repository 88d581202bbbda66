package io.billing.platform.logging;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.ConsoleHandler;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Writes one logger's records from a thread of its own, for a logger that writes a line per event.
 *
 * <p>The console handler formats each record and flushes the console after it, holding its lock meanwhile: at a
 * thousand events a second, one write to the console per line and the threads that log queueing on that lock cost
 * the webhook's request threads about a tenth of their CPU. Installed on a logger, this handler takes the records
 * the logger's parents' handlers would have written: the thread that logs only queues the record; the writer thread
 * formats what has queued up with each handler's own formatter (the console's lines look as before) and writes it
 * to the console in one piece, flushing once per batch. Handlers other than the JDK's console handler (a log file)
 * get each record from the writer thread, as they would have from the logging thread.
 *
 * <p>Nothing is dropped: when the queue is full, a thread that logs waits for room, as it waited for the console
 * before, and after a second writes its line itself. A line names the writer thread where the formatter names the
 * thread it runs on; the lines say which event and which request they are about. {@link #uninstall()} writes what is
 * queued and gives the logger its parents' handlers back.
 */
public final class BackgroundLogWriter extends Handler {

    /** Records queued at most: far more than a second's lines at the service's peak. */
    static final int CAPACITY = 16_384;

    /** How often the writer writes what has queued up: a line reaches the console this much later at most. */
    static final long INTERVAL_MILLIS = 50;

    private final Logger logger;
    private final boolean usedParentHandlers;
    private final List<Handler> targets;
    private final PrintStream console;
    private final BlockingQueue<LogRecord> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Thread writer;
    private volatile boolean running = true;

    BackgroundLogWriter(Logger logger, List<Handler> targets, PrintStream console) {
        this.logger = logger;
        this.usedParentHandlers = logger.getUseParentHandlers();
        this.targets = List.copyOf(targets);
        this.console = console;
        this.writer = new Thread(this::writeUntilUninstalled, "log-writer-" + logger.getName());
        writer.setDaemon(true); // a JVM that exits without uninstalling loses what was queued, 50 ms of lines at most
    }

    /**
     * Takes over writing {@code logger}'s records: the handlers of its parents (those it passed its records to) now
     * get them from the writer thread. The JDK's console handler writes to {@code System.err}, and so does this.
     */
    public static BackgroundLogWriter install(Logger logger) {
        return install(logger, System.err);
    }

    /** Installs the writer with the stream the console's lines go to. */
    static BackgroundLogWriter install(Logger logger, PrintStream console) {
        BackgroundLogWriter handler = new BackgroundLogWriter(logger, handlersAbove(logger), console);
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
        handler.writer.start();
        return handler;
    }

    /** The handlers a record of {@code logger} reaches through its parents. */
    static List<Handler> handlersAbove(Logger logger) {
        List<Handler> handlers = new ArrayList<>();
        Logger at = logger;
        while (at.getUseParentHandlers() && at.getParent() != null) {
            at = at.getParent();
            handlers.addAll(List.of(at.getHandlers()));
        }
        return handlers;
    }

    @Override
    public void publish(LogRecord record) {
        if (!running) {
            write(List.of(record));
            return;
        }
        record.getSourceClassName(); // a record that does not name its source finds it on the thread that logs
        try {
            if (queue.offer(record, 1, TimeUnit.SECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        write(List.of(record)); // the writer is stuck or gone: this thread writes its line itself, as it did before
    }

    /**
     * Writes what has queued up every {@link #INTERVAL_MILLIS}. The writer sleeps rather than waits on the queue: a
     * waiting writer would be woken by every line queued (a system call and a switch of threads per line, what
     * batching is to save); a sleeping one is never signalled, and finds a batch when it wakes.
     */
    private void writeUntilUninstalled() {
        List<LogRecord> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                if (running) {
                    Thread.sleep(INTERVAL_MILLIS);
                }
                queue.drainTo(batch);
                if (!batch.isEmpty()) {
                    write(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } catch (RuntimeException e) {
                reportError("could not write " + batch.size() + " log records", e, ErrorManager.WRITE_FAILURE);
            } finally {
                batch.clear();
            }
        }
    }

    /** Writes records in their order: the console's lines in one piece, other handlers' one by one. */
    private void write(List<LogRecord> records) {
        for (Handler target : targets) {
            if (target.getClass() == ConsoleHandler.class) {
                StringBuilder lines = new StringBuilder(records.size() * 256);
                for (LogRecord record : records) {
                    if (target.isLoggable(record)) {
                        // under the handler's lock, as its own publish formats: a formatter need not be thread-safe
                        synchronized (target) {
                            lines.append(target.getFormatter().format(record));
                        }
                    }
                }
                if (!lines.isEmpty()) {
                    console.print(lines);
                    console.flush();
                }
            } else {
                records.forEach(target::publish);
            }
        }
    }

    @Override
    public void flush() {
        // the writer thread flushes after every batch
    }

    @Override
    public void close() {
        uninstall();
    }

    /** Writes what is queued (waiting up to five seconds) and gives the logger its parents' handlers back. */
    public void uninstall() {
        logger.setUseParentHandlers(usedParentHandlers);
        logger.removeHandler(this);
        running = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<LogRecord> left = new ArrayList<>();
        queue.drainTo(left);
        write(left);
    }
}
