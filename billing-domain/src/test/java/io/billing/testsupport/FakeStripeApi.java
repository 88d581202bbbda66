package io.billing.testsupport;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local, stateful stand-in for the parts of the Stripe API this service calls, speaking Stripe's wire
 * format: form-encoded requests with bracketed keys, bearer API key, {@code Idempotency-Key} (a repeated key
 * replays the first answer, errors included, as Stripe does), JSON objects and lists, and Stripe's error bodies. Tests script
 * failures ({@link #failNext}) and read back every request it saw ({@link #requests()}).
 *
 * <p>Serves: {@code GET /v1/<resource>/<id>} for objects it holds, {@code GET /v1/events} (newest first,
 * {@code created[gte]}, {@code starting_after}, {@code limit}, {@code has_more}), {@code POST /v1/customers},
 * {@code POST /v1/checkout/sessions}, {@code POST /v1/billing_portal/sessions}.
 */
public final class FakeStripeApi implements AutoCloseable {

    /** One request as the fake received it. */
    public record Request(String method, String path, String query, String idempotencyKey, Map<String, String> form) {
    }

    private record Scripted(int status, String type, String code, String message) {
    }

    private record Answer(int status, String body) {
    }

    /** A scripted turn that answers normally. */
    private static final Scripted PASS = new Scripted(0, null, null, null);

    private final String apiKey;
    private final HttpServer server;
    private final Map<String, String> objects = new ConcurrentHashMap<>();
    private final List<JsonObject> events = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Answer> idempotentAnswers = new ConcurrentHashMap<>();
    private final Map<String, Deque<Scripted>> failures = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicInteger sessionsCreated = new AtomicInteger();
    /** Per path prefix, how long each of the next requests' answers is held back. */
    private final Map<String, Deque<Duration>> lateAnswers = new ConcurrentHashMap<>();

    public FakeStripeApi(String apiKey) {
        this.apiKey = apiKey;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        // A thread per exchange: an answer held back (answerLate) must not hold up the requests behind it.
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fake-stripe-api");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Makes an object readable by id (its {@code id} field). */
    public void putObject(String json) {
        objects.put(JsonParser.parseString(json).getAsJsonObject().get("id").getAsString(), json);
    }

    /** Makes an event listable by the Events API. */
    public void addEvent(String eventJson) {
        events.add(JsonParser.parseString(eventJson).getAsJsonObject());
    }

    /**
     * The next {@code times} requests whose path starts with {@code pathPrefix} fail with this status and
     * Stripe error ({@code type} such as {@code card_error}, {@code api_error}, {@code invalid_request_error}).
     */
    public void failNext(String pathPrefix, int times, int status, String type, String code, String message) {
        failAfter(pathPrefix, 0, times, status, type, code, message);
    }

    /** As {@link #failNext}, after {@code successes} requests to the prefix are answered normally. */
    public void failAfter(String pathPrefix, int successes, int times, int status, String type, String code,
                          String message) {
        Deque<Scripted> queue = failures.computeIfAbsent(pathPrefix, p -> new ArrayDeque<>());
        synchronized (queue) {
            for (int i = 0; i < successes; i++) {
                queue.add(PASS);
            }
            for (int i = 0; i < times; i++) {
                queue.add(new Scripted(status, type, code, message));
            }
        }
    }

    /**
     * The next {@code times} requests whose path starts with {@code pathPrefix} are carried out as usual (a session
     * is created and its answer kept under the idempotency key), but their answers are held back for {@code delay}:
     * a client that gives up first sees a timeout, not knowing that Stripe did the work.
     */
    public void answerLate(String pathPrefix, int times, Duration delay) {
        Deque<Duration> queue = lateAnswers.computeIfAbsent(pathPrefix, p -> new ArrayDeque<>());
        synchronized (queue) {
            for (int i = 0; i < times; i++) {
                queue.add(delay);
            }
        }
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String method, String pathPrefix) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).toList();
    }

    /** Checkout Sessions actually created (an idempotent replay creates none). */
    public int sessionsCreated() {
        return sessionsCreated.get();
    }

    public void reset() {
        objects.clear();
        events.clear();
        requests.clear();
        idempotentAnswers.clear();
        failures.clear();
        lateAnswers.clear();
        sessionsCreated.set(0);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String method = exchange.getRequestMethod();
            String path = uri.getPath();
            Map<String, String> form = parseForm(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            requests.add(new Request(method, path, uri.getRawQuery(), key, form));
            Answer answer = answer(exchange, method, path, uri.getRawQuery(), form, key);
            Duration late = next(lateAnswers, path);
            if (late != null) {
                try {
                    Thread.sleep(late.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Request-Id", "req_fake_" + sequence.incrementAndGet());
            if (key != null) {
                exchange.getResponseHeaders().set("Idempotency-Key", key);
            }
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private Answer answer(HttpExchange exchange, String method, String path, String query, Map<String, String> form,
                          String key) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (!("Bearer " + apiKey).equals(authorization)) {
            return error(401, "invalid_request_error", null, "Invalid API Key provided.");
        }
        String replayKey = method.equals("POST") && key != null ? path + " " + key : null;
        if (replayKey != null && idempotentAnswers.containsKey(replayKey)) {
            return idempotentAnswers.get(replayKey);
        }
        Scripted failure = nextFailure(path);
        if (failure != null && failure != PASS) {
            Answer refused = error(failure.status(), failure.type(), failure.code(), failure.message());
            // As Stripe: once its endpoint ran, the answer is kept under the key for 24 hours, a 500 included;
            // a rate limit or a bad API key stops the request before that, and nothing is kept.
            if (replayKey != null && failure.status() != 429 && failure.status() != 401) {
                idempotentAnswers.put(replayKey, refused);
            }
            return refused;
        }
        if (replayKey != null) {
            Answer created = post(path, form);
            idempotentAnswers.put(replayKey, created);
            return created;
        }
        if (method.equals("POST")) {
            return post(path, form);
        }
        if (path.equals("/v1/events")) {
            return listEvents(parseForm(query == null ? "" : query));
        }
        String id = path.substring(path.lastIndexOf('/') + 1);
        String object = objects.get(id);
        return object != null ? new Answer(200, object)
                : error(404, "invalid_request_error", "resource_missing", "No such object: '" + id + "'");
    }

    private Scripted nextFailure(String path) {
        return next(failures, path);
    }

    /** The next scripted turn of the first prefix of {@code path} that has one left. */
    private static <T> T next(Map<String, Deque<T>> scripts, String path) {
        for (Map.Entry<String, Deque<T>> entry : scripts.entrySet()) {
            if (path.startsWith(entry.getKey())) {
                synchronized (entry.getValue()) {
                    T next = entry.getValue().poll();
                    if (next != null) {
                        return next;
                    }
                }
            }
        }
        return null;
    }

    private Answer post(String path, Map<String, String> form) {
        int n = sequence.incrementAndGet();
        JsonObject object = new JsonObject();
        switch (path) {
            case "/v1/customers" -> {
                object.addProperty("id", "cus_fake_" + n);
                object.addProperty("object", "customer");
                object.addProperty("name", form.get("name"));
                object.add("metadata", nested(form, "metadata"));
            }
            case "/v1/checkout/sessions" -> {
                sessionsCreated.incrementAndGet();
                String id = "cs_test_fake_" + n;
                object.addProperty("id", id);
                object.addProperty("object", "checkout.session");
                object.addProperty("url", "https://checkout.stripe.com/c/pay/" + id);
                object.addProperty("mode", form.get("mode"));
                object.addProperty("customer", form.get("customer"));
                object.addProperty("client_reference_id", form.get("client_reference_id"));
                object.addProperty("expires_at", 1_900_000_000L);
                object.add("metadata", nested(form, "metadata"));
            }
            case "/v1/billing_portal/sessions" -> {
                object.addProperty("id", "bps_fake_" + n);
                object.addProperty("object", "billing_portal.session");
                object.addProperty("customer", form.get("customer"));
                object.addProperty("return_url", form.get("return_url"));
                object.addProperty("url", "https://billing.stripe.com/p/session/bps_fake_" + n);
            }
            default -> {
                return error(404, "invalid_request_error", null, "Unrecognized request URL (POST: " + path + ")");
            }
        }
        objects.put(object.get("id").getAsString(), object.toString());
        return new Answer(200, object.toString());
    }

    private Answer listEvents(Map<String, String> query) {
        long createdFrom = Long.parseLong(query.getOrDefault("created[gte]", "0"));
        int limit = Integer.parseInt(query.getOrDefault("limit", "10"));
        String startingAfter = query.get("starting_after");
        List<JsonObject> matching = new ArrayList<>(events.stream()
                .filter(e -> e.get("created").getAsLong() >= createdFrom)
                .sorted(Comparator.comparingLong((JsonObject e) -> e.get("created").getAsLong())
                        .thenComparing(e -> e.get("id").getAsString()).reversed())
                .toList());
        int from = 0;
        if (startingAfter != null) {
            for (int i = 0; i < matching.size(); i++) {
                if (matching.get(i).get("id").getAsString().equals(startingAfter)) {
                    from = i + 1;
                }
            }
        }
        JsonArray data = new JsonArray();
        matching.subList(from, Math.min(matching.size(), from + limit)).forEach(data::add);
        JsonObject page = new JsonObject();
        page.addProperty("object", "list");
        page.addProperty("url", "/v1/events");
        page.addProperty("has_more", from + limit < matching.size());
        page.add("data", data);
        return new Answer(200, page.toString());
    }

    private static Answer error(int status, String type, String code, String message) {
        JsonObject error = new JsonObject();
        error.addProperty("type", type);
        if (code != null) {
            error.addProperty("code", code);
        }
        error.addProperty("message", message);
        JsonObject body = new JsonObject();
        body.add("error", error);
        return new Answer(status, body.toString());
    }

    /** {@code prefix[key]=value} form fields as a JSON object of key to value. */
    private static JsonObject nested(Map<String, String> form, String prefix) {
        JsonObject object = new JsonObject();
        form.forEach((name, value) -> {
            if (name.startsWith(prefix + "[") && name.indexOf(']') == name.length() - 1) {
                object.addProperty(name.substring(prefix.length() + 1, name.length() - 1), value);
            }
        });
        return object;
    }

    private static Map<String, String> parseForm(String encoded) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(name, value);
        }
        return form;
    }
}
