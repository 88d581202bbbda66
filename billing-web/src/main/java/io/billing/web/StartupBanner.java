package io.billing.web;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Prints what a person starting the service needs (where to point Stripe, where the admin is, which database,
 * whether webhook secrets are set) as the last lines of the start-up, after the server's own report, rather than in
 * the middle of hundreds of lines of deployment log where it would scroll away.
 *
 * <p>The application is initialised before Payara Micro has finished deploying it and printed its endpoints and its
 * "ready in" line, so the banner waits for that line (a log record of the {@code PayaraMicro} logger). A server that
 * prints no such line (a full Payara Server) gets the banner after {@code fallback}.
 */
final class StartupBanner {

    private static final Logger LOG = Logger.getLogger(StartupBanner.class.getName());
    private static final String SERVER_LOGGER = "PayaraMicro";
    private static final String READY_WORDS = " ready in ";
    /** Lets the server's console handler print its own "ready" line before ours. */
    private static final Duration AFTER_READY = Duration.ofMillis(300);

    private final Supplier<String> text;
    private final Duration fallback;
    private final CountDownLatch serverReady = new CountDownLatch(1);

    StartupBanner(Supplier<String> text, Duration fallback) {
        this.text = text;
        this.fallback = fallback;
    }

    /** Prints the banner once the server reports itself ready, or after the fallback delay, whichever comes first. */
    void printWhenServerReady() {
        Logger root = Logger.getLogger("");
        Handler watcher = new ReadyLineWatcher();
        root.addHandler(watcher);
        Thread waiter = new Thread(() -> {
            try {
                if (serverReady.await(fallback.toMillis(), TimeUnit.MILLISECONDS)) {
                    Thread.sleep(AFTER_READY.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                root.removeHandler(watcher);
                LOG.info(text);
            }
        }, "billing-startup-banner");
        waiter.setDaemon(true);
        waiter.start();
    }

    /** Wakes the waiting thread when the server's "ready" line goes by. */
    private final class ReadyLineWatcher extends Handler {

        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            if (record != null && record.getLevel().intValue() >= Level.INFO.intValue()
                    && SERVER_LOGGER.equals(record.getLoggerName())
                    && String.valueOf(formatter.formatMessage(record)).contains(READY_WORDS)) {
                serverReady.countDown();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
