package io.billing.cluster;

import io.billing.service.ServiceProcess;
import io.billing.testsupport.StripeSigner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stripe and a load balancer in front of the instances, for the cluster test.
 *
 * <p>The balancer does what a production one with active health checks does (HAProxy's {@code option httpchk}): it
 * asks every instance's {@code /health/live} four times a second and sends only to the instances that answer 200,
 * round robin; a connection that fails (an instance killed) takes that instance out until its next good check, and
 * the request goes to the next one. A Payara Micro that is starting answers 404 and then 500 for some seconds before
 * its application is deployed, and its health endpoint says DOWN until then; the check keeps it away. Liveness, not
 * readiness: readiness is DOWN on every instance while the database is away, and the instances' own answer to that,
 * 503 with Retry-After, is what Stripe should get (a balancer with nothing ready would answer 503 itself).
 *
 * <p>Stripe delivers each event until it is acknowledged, signing each try afresh, and retries after a 503; unlike
 * Stripe it retries after half a second rather than minutes later, so that the test ends in seconds. Every answer the
 * sender got is counted by status; the few that are neither 2xx nor 503 are kept with their instance and body.
 */
final class FailoverSender implements AutoCloseable {

    private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(3);
    private static final long RETRY_PAUSE_MILLIS = 500;
    private static final long CHECK_EVERY_MILLIS = 250;

    private final List<URI> instances;
    private final AtomicIntegerArray ready;
    private final String secret;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicInteger nextInstance = new AtomicInteger();
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final List<String> unexpected = new CopyOnWriteArrayList<>();
    private final AtomicLong connectionFailures = new AtomicLong();
    private final Thread healthChecks;
    private volatile boolean closed;

    FailoverSender(List<URI> instances, String secret) {
        this.instances = List.copyOf(instances);
        this.ready = new AtomicIntegerArray(instances.size());
        this.secret = secret;
        checkAll();
        healthChecks = new Thread(this::checkUntilClosed, "balancer-health-checks");
        healthChecks.setDaemon(true);
        healthChecks.start();
    }

    /** Delivers one event until an instance acknowledges it; false if it never was, or was refused outright. */
    boolean deliver(byte[] body) throws InterruptedException {
        long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
        while (System.nanoTime() < deadline) {
            int instance = pickReady();
            if (instance < 0) {
                TimeUnit.MILLISECONDS.sleep(RETRY_PAUSE_MILLIS / 5); // no instance ready: the balancer answers nothing yet
                continue;
            }
            HttpRequest request = HttpRequest.newBuilder(instances.get(instance).resolve("api/stripe/webhook"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("Stripe-Signature", StripeSigner.header(body, System.currentTimeMillis() / 1000, secret))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<String> answer;
            try {
                answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException noAnswer) {
                connectionFailures.incrementAndGet();
                ready.set(instance, 0); // out until its next good health check; this request goes to another one
                continue;
            }
            int status = answer.statusCode();
            statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
            if (status / 100 == 2) {
                return true;
            }
            if (status != 503) {
                unexpected.add("instance " + (instance + 1) + " answered " + status + ": "
                        + answer.body().substring(0, Math.min(300, answer.body().length())));
                return false; // a refusal Stripe would not retry soon; the test fails on it
            }
            TimeUnit.MILLISECONDS.sleep(RETRY_PAUSE_MILLIS);
        }
        return false;
    }

    /** Every HTTP status the sender was answered with, and how often. */
    Map<Integer, Long> statuses() {
        Map<Integer, Long> copy = new TreeMap<>();
        statuses.forEach((status, count) -> copy.put(status, count.get()));
        return copy;
    }

    /** The answers that were neither 2xx nor 503, with the instance and the start of the body. */
    List<String> unexpectedAnswers() {
        return new ArrayList<>(unexpected);
    }

    /** Requests that got no answer at all (connection refused or cut); each was passed to another instance. */
    long connectionFailures() {
        return connectionFailures.get();
    }

    private int pickReady() {
        int start = Math.floorMod(nextInstance.getAndIncrement(), instances.size());
        for (int i = 0; i < instances.size(); i++) {
            int candidate = (start + i) % instances.size();
            if (ready.get(candidate) == 1) {
                return candidate;
            }
        }
        return -1;
    }

    private void checkUntilClosed() {
        while (!closed) {
            checkAll();
            try {
                TimeUnit.MILLISECONDS.sleep(CHECK_EVERY_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void checkAll() {
        for (int i = 0; i < instances.size(); i++) {
            ready.set(i, ServiceProcess.probe("GET", instances.get(i).resolve("health/live")) == 200 ? 1 : 0);
        }
    }

    @Override
    public void close() {
        closed = true;
        healthChecks.interrupt();
    }
}
