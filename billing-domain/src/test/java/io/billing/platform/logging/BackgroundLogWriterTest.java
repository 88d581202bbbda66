package io.billing.platform.logging;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-event lines written from the writer's thread: every line, whole and in each thread's order, formatted by
 * the console handler's formatter; the threads that log never wait on the console; uninstalling writes what is left
 * and gives the logger its parents' handlers back.
 */
class BackgroundLogWriterTest {

    /** A line per record: its message, as the console handler is told to format it. */
    private static final Formatter MESSAGE_PER_LINE = new Formatter() {
        @Override
        public String format(LogRecord record) {
            return formatMessage(record) + "\n";
        }
    };

    private Logger parent;
    private Logger events;
    private ConsoleHandler consoleHandler;
    private final List<LogRecord> fileHandlerRecords = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void loggers() {
        String name = "test.lines." + UUID.randomUUID().toString().replace("-", "");
        parent = Logger.getLogger(name);
        parent.setUseParentHandlers(false);
        consoleHandler = new ConsoleHandler();
        consoleHandler.setFormatter(MESSAGE_PER_LINE);
        consoleHandler.setLevel(Level.INFO);
        parent.addHandler(consoleHandler);
        parent.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                fileHandlerRecords.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        events = Logger.getLogger(name + ".events");
    }

    @AfterEach
    void handlersOff() {
        for (Handler handler : parent.getHandlers()) {
            parent.removeHandler(handler);
        }
    }

    @Test
    void everyLineOfManyThreadsIsWrittenWholeAndInEachThreadsOrder() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        BackgroundLogWriter writer = BackgroundLogWriter.install(events, new PrintStream(console, true,
                StandardCharsets.UTF_8));
        int threads = 8;
        int linesEach = 2_000;
        List<Thread> loggers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            loggers.add(new Thread(() -> {
                for (int n = 0; n < linesEach; n++) {
                    events.log(Level.INFO, "thread {0} line {1}", new Object[] {thread, Integer.toString(n)});
                }
            }));
        }
        loggers.forEach(Thread::start);
        for (Thread thread : loggers) {
            thread.join();
        }
        writer.uninstall();

        List<String> lines = Arrays.asList(console.toString(StandardCharsets.UTF_8).split("\n"));
        assertEquals(threads * linesEach, lines.size());
        int[] next = new int[threads];
        for (String line : lines) {
            String[] words = line.split(" ");
            assertEquals(4, words.length, "a whole line: " + line);
            int thread = Integer.parseInt(words[1]);
            assertEquals(next[thread]++, Integer.parseInt(words[3]), "thread " + thread + "'s lines in order");
        }
        assertEquals(threads * linesEach, fileHandlerRecords.size(),
                "a handler other than the console gets each record");
    }

    @Test
    void aThreadThatLogsDoesNotWaitForTheConsole() throws Exception {
        CountDownLatch consoleFree = new CountDownLatch(1);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        OutputStream stuck = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                try {
                    consoleFree.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                written.write(bytes, offset, length);
            }
        };
        BackgroundLogWriter writer = BackgroundLogWriter.install(events, new PrintStream(stuck, true,
                StandardCharsets.UTF_8));
        long started = System.nanoTime();
        for (int n = 0; n < 1_000; n++) {
            events.info("line " + n);
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(tookMillis < 900, "1,000 lines logged while the console is stuck, in " + tookMillis + " ms");
        assertEquals("", written.toString(StandardCharsets.UTF_8), "the console wrote nothing yet");
        consoleFree.countDown();
        writer.uninstall();
        assertEquals(1_000, written.toString(StandardCharsets.UTF_8).split("\n").length);
    }

    @Test
    void uninstallingGivesTheLoggerItsParentsHandlersBackAndRecordsBelowTheConsolesLevelStayUnwritten() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        events.setLevel(Level.FINE);
        BackgroundLogWriter writer = BackgroundLogWriter.install(events, new PrintStream(console, true,
                StandardCharsets.UTF_8));
        assertFalse(events.getUseParentHandlers());
        events.fine("below the console's level");
        events.info("at it");
        writer.uninstall();
        assertTrue(events.getUseParentHandlers());
        assertEquals(0, events.getHandlers().length);
        assertEquals("at it\n", console.toString(StandardCharsets.UTF_8));
        assertEquals(2, fileHandlerRecords.size(), "the other handler has no level of its own here");
    }
}
