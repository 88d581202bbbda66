package io.billing.bench;

import io.billing.testsupport.StripeSigner;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One simulated Stripe sender: one thread, one persistent HTTP/1.1 connection, one event at a time.
 * It speaks just enough HTTP over a plain {@link Socket} to write a request and read its answer (status
 * line, headers, a {@code Content-Length} or chunked body), because a full HTTP client costs CPU that,
 * on a small machine, the service under test would miss.
 *
 * <p>See {@link IntakeBenchmark} for the method. A worker is used for one run of one concurrency level and
 * read by the benchmark thread only after its thread has ended.
 */
final class IntakeLoadWorker implements Runnable {

    /** What every worker of one concurrency level shares: where to send, what, and when. */
    record Plan(String host, int port, String path, String secret, BodyTemplate body, String runId,
                long warmupStartNanos, long measureStartNanos, long measureEndNanos,
                long intervalNanos) {

        /** Zero interval: closed loop, send again as soon as the answer is in. */
        boolean paced() {
            return intervalNanos > 0;
        }
    }

    private static final int CONNECT_TIMEOUT_MS = 5_000;
    /** Far above any sane answer time; a request that hits it is counted as an error, not as a latency. */
    private static final int READ_TIMEOUT_MS = 30_000;
    /**
     * How long a paced worker that fell behind schedule may keep sending its overdue events after the
     * measured window. Those sends must happen (dropping them would hide exactly the slow period), but an
     * overloaded service must not keep the benchmark running for ever.
     */
    private static final long OVERDUE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int INITIAL_LATENCY_CAPACITY = 1 << 16;

    private final Plan plan;
    private final String uniquePrefix;
    private final long firstSendNanos;
    private final String hostHeader;

    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private final byte[] lineBuffer = new byte[8 * 1024];

    // Results, written by this worker's thread only.
    private long[] latenciesNanos = new long[INITIAL_LATENCY_CAPACITY];
    private int latencyCount;
    private long[] worstBySecond;
    private final Map<String, Long> errors = new TreeMap<>();
    private final Map<String, Long> warmupErrors = new TreeMap<>();
    private long warmupOk;
    private long lastAnswerNanos;
    private long connectionsOpened;
    private long resends;
    private long unsentBehindSchedule;

    /**
     * @param workerNumber   unique within the whole run (not only the level), so that event ids are too
     * @param firstSendNanos when this worker sends its first event; paced workers are staggered so that
     *                       the total rate is spread evenly rather than arriving in bursts
     */
    IntakeLoadWorker(Plan plan, int workerNumber, long firstSendNanos) {
        this.plan = plan;
        this.uniquePrefix = plan.runId() + "_" + workerNumber + "_";
        this.firstSendNanos = firstSendNanos;
        this.hostHeader = plan.host() + ":" + plan.port();
    }

    @Override
    public void run() {
        try {
            connect();
        } catch (IOException e) {
            // Not fatal here: deliver() reconnects and counts the failure against the request it delays.
            closeQuietly();
        }
        sleepUntil(firstSendNanos);
        long nextSendNanos = firstSendNanos;
        for (long sequence = 0; ; sequence++) {
            long startNanos;
            byte[] request;
            if (plan.paced()) {
                if (nextSendNanos >= plan.measureEndNanos()) {
                    break;
                }
                if (System.nanoTime() - plan.measureEndNanos() > OVERDUE_GRACE_NANOS) {
                    unsentBehindSchedule = (plan.measureEndNanos() - nextSendNanos + plan.intervalNanos() - 1)
                            / plan.intervalNanos();
                    break;
                }
                sleepUntil(nextSendNanos);
                // Latency counts from when the event was due, not from when this worker got round to it:
                // a stalled answer then also shows in the events that had to wait behind it.
                startNanos = nextSendNanos;
                nextSendNanos += plan.intervalNanos();
                request = buildRequest(sequence);
            } else {
                request = buildRequest(sequence);
                startNanos = System.nanoTime();
                if (startNanos >= plan.measureEndNanos()) {
                    break;
                }
            }
            String failure = deliver(request);
            long endNanos = System.nanoTime();
            if (startNanos >= plan.measureStartNanos()) {
                lastAnswerNanos = endNanos;
                if (failure == null) {
                    recordLatency(endNanos - startNanos);
                    recordWorstOfSecond(startNanos, endNanos - startNanos);
                } else {
                    errors.merge(failure, 1L, Long::sum);
                }
            } else if (failure == null) {
                warmupOk++;
            } else {
                warmupErrors.merge(failure, 1L, Long::sum);
            }
        }
        closeQuietly();
    }

    /**
     * A unique event: the fixture with its event id and object id made unique, signed over the exact bytes
     * sent, at {@code t} = now.
     */
    private byte[] buildRequest(long sequence) {
        byte[] body = plan.body().render(uniquePrefix + sequence);

        long t = System.currentTimeMillis() / 1000;
        byte[] head = ("POST " + plan.path() + " HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "User-Agent: billing-intake-benchmark\r\n"
                + "Content-Type: application/json; charset=utf-8\r\n"
                + "Stripe-Signature: " + StripeSigner.header(body, t, plan.secret()) + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        // One array, one write: with TCP_NODELAY, separate writes for head and body would be separate segments.
        byte[] request = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return request;
    }

    /**
     * Sends one request and reads its answer.
     *
     * @return null when the event was stored as new (200, {@code "duplicate":false}), else what went wrong,
     *         as the key it is counted under (the status and the service's error code, or the I/O failure)
     */
    private String deliver(byte[] request) {
        boolean retried = false;
        while (true) {
            boolean reusedConnection = socket != null;
            try {
                if (socket == null) {
                    connect();
                }
                out.write(request);
                out.flush();
                Answer answer = readAnswer();
                if (!answer.keepAlive()) {
                    closeQuietly();
                }
                return classify(answer);
            } catch (SocketTimeoutException e) {
                closeQuietly();
                return "timeout (no answer in " + READ_TIMEOUT_MS / 1000 + " s)";
            } catch (ConnectException e) {
                closeQuietly();
                return "connect: " + e.getMessage();
            } catch (IOException e) {
                closeQuietly();
                // The usual cause on a reused connection: the server closed it while idle or after its
                // per-connection request limit, and the request went nowhere. Any HTTP client sends it
                // again on a new connection; were it stored after all, the repeat would answer
                // "duplicate":true and be counted as an error below, so nothing is hidden.
                if (reusedConnection && !retried) {
                    retried = true;
                    resends++;
                    continue;
                }
                return "io: " + e.getClass().getSimpleName();
            }
        }
    }

    private static String classify(Answer answer) {
        String body = new String(answer.body(), StandardCharsets.UTF_8);
        if (answer.status() == 200) {
            return body.contains("\"duplicate\":false") ? null : "200 but not stored as a new event";
        }
        String code = jsonStringField(body, "error");
        return code == null ? Integer.toString(answer.status()) : answer.status() + " " + code;
    }

    /** The value of {@code "field":"value"} in the service's compact JSON, without a parser. */
    private static String jsonStringField(String json, String field) {
        String key = "\"" + field + "\":\"";
        int start = json.indexOf(key);
        if (start < 0) {
            return null;
        }
        start += key.length();
        int end = json.indexOf('"', start);
        return end < 0 ? null : json.substring(start, end);
    }

    private record Answer(int status, byte[] body, boolean keepAlive) {
    }

    private Answer readAnswer() throws IOException {
        String statusLine = readLine();
        if (statusLine == null) {
            throw new EOFException("connection closed before an answer");
        }
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine, 9, 12, 10);
        boolean keepAlive = statusLine.startsWith("HTTP/1.1");
        long contentLength = -1;
        boolean chunked = false;
        for (String line = readHeaderLine(); !line.isEmpty(); line = readHeaderLine()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            if (name.equalsIgnoreCase("Content-Length")) {
                contentLength = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = value.contains("chunked");
            } else if (name.equalsIgnoreCase("Connection")) {
                keepAlive = !value.contains("close") && (keepAlive || value.contains("keep-alive"));
            }
        }
        byte[] body;
        if (chunked) {
            body = readChunkedBody();
        } else if (contentLength >= 0) {
            body = readExactly((int) contentLength);
        } else {
            // Neither length nor chunks: the body ends when the server closes the connection.
            body = in.readAllBytes();
            keepAlive = false;
        }
        return new Answer(status, body, keepAlive);
    }

    private byte[] readChunkedBody() throws IOException {
        byte[] body = new byte[0];
        while (true) {
            String sizeLine = readHeaderLine();
            int extension = sizeLine.indexOf(';');
            int size = Integer.parseInt((extension < 0 ? sizeLine : sizeLine.substring(0, extension)).trim(), 16);
            if (size == 0) {
                while (!readHeaderLine().isEmpty()) {
                    // trailers: none expected, skipped
                }
                return body;
            }
            byte[] chunk = readExactly(size);
            int old = body.length;
            body = Arrays.copyOf(body, old + size);
            System.arraycopy(chunk, 0, body, old, size);
            readHeaderLine(); // the CRLF after the chunk
        }
    }

    private byte[] readExactly(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("connection closed in the middle of a body");
        }
        return bytes;
    }

    private String readHeaderLine() throws IOException {
        String line = readLine();
        if (line == null) {
            throw new EOFException("connection closed in the middle of an answer");
        }
        return line;
    }

    /** One CRLF- (or LF-) terminated line as ISO-8859-1, or null at end of stream before any byte. */
    private String readLine() throws IOException {
        int length = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (length == 0) {
                    return null;
                }
                throw new EOFException("connection closed in the middle of a line");
            }
            if (b == '\n') {
                if (length > 0 && lineBuffer[length - 1] == '\r') {
                    length--;
                }
                return new String(lineBuffer, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (length == lineBuffer.length) {
                throw new IOException("header line longer than " + lineBuffer.length + " bytes");
            }
            lineBuffer[length++] = (byte) b;
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            // Requests are written whole and answers are small: Nagle would only add delay.
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(plan.host(), plan.port()), CONNECT_TIMEOUT_MS);
            s.setSoTimeout(READ_TIMEOUT_MS);
            out = s.getOutputStream();
            in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        connectionsOpened++;
    }

    private void closeQuietly() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to do: the connection is dropped either way
            }
        }
        socket = null;
        out = null;
        in = null;
    }

    /** The worst latency of each second of the measured window (by due or send time): where the tail comes from. */
    private void recordWorstOfSecond(long startNanos, long nanos) {
        int second = (int) ((startNanos - plan.measureStartNanos()) / 1_000_000_000L);
        if (worstBySecond == null) {
            worstBySecond = new long[(int) ((plan.measureEndNanos() - plan.measureStartNanos()) / 1_000_000_000L) + 1];
        }
        if (second >= 0 && second < worstBySecond.length) {
            worstBySecond[second] = Math.max(worstBySecond[second], nanos);
        }
    }

    long[] worstBySecondNanos() {
        return worstBySecond == null ? new long[0] : worstBySecond.clone();
    }

    private void recordLatency(long nanos) {
        if (latencyCount == latenciesNanos.length) {
            latenciesNanos = Arrays.copyOf(latenciesNanos, latencyCount * 2);
        }
        latenciesNanos[latencyCount++] = nanos;
    }

    private static void sleepUntil(long deadlineNanos) {
        for (long remaining = deadlineNanos - System.nanoTime(); remaining > 0;
             remaining = deadlineNanos - System.nanoTime()) {
            LockSupport.parkNanos(remaining);
        }
    }

    // Results, for the benchmark thread once this worker's thread has ended.

    /** Latencies of the measured requests answered 200, in nanoseconds, unordered. */
    long[] latenciesNanos() {
        return Arrays.copyOf(latenciesNanos, latencyCount);
    }

    /** Measured requests that were not stored as new events, by what went wrong. */
    Map<String, Long> errors() {
        return errors;
    }

    Map<String, Long> warmupErrors() {
        return warmupErrors;
    }

    long warmupOk() {
        return warmupOk;
    }

    /** When the last measured request was answered (nanoTime), 0 when there was none. */
    long lastAnswerNanos() {
        return lastAnswerNanos;
    }

    /** Connections opened after the first one: the server closed them, or an I/O error did. */
    long reconnects() {
        return Math.max(0, connectionsOpened - 1);
    }

    /** Requests sent again on a new connection because the reused one failed before answering. */
    long resends() {
        return resends;
    }

    /** Paced only: scheduled events given up on because the worker was too far behind at the end. */
    long unsentBehindSchedule() {
        return unsentBehindSchedule;
    }
}
