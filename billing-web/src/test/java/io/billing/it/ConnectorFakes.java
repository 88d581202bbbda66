package io.billing.it;

import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The services around billing as the deployed service meets them in tests, speaking their wire format on a
 * local port: the rating edge ({@code POST /rate}, drops a repeated {@code Idempotency-Key}) and the commerce
 * API ({@code GET /orders/{id}}, 404 for an order no store has). Tests make the rating edge fail for a tenant.
 */
public final class ConnectorFakes implements AutoCloseable {

    /** One call of a tenant's callback. */
    public record CallbackCall(String tenantId, String signature, String idempotencyKey, String body) {
    }

    /** One call of the rating edge. */
    public record RatingCall(String idempotencyKey, String body, int answeredStatus) {
    }

    private final HttpServer server;
    private final List<RatingCall> ratingCalls = new CopyOnWriteArrayList<>();
    private final Map<String, String> ratedOnce = new ConcurrentHashMap<>();
    private final Map<String, Integer> failuresLeftByTenant = new ConcurrentHashMap<>();
    private final Map<String, String> orders = new ConcurrentHashMap<>();
    private final Map<String, String> licences = new ConcurrentHashMap<>();
    private final List<CallbackCall> callbackCalls = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> redirectCalls = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> licenceCallsByKey = new ConcurrentHashMap<>();
    /** The licence service's users: id to e-mail address, as the licence integration's service keeps them. */
    private final Map<String, String> licenceUsers = new ConcurrentHashMap<>();

    public ConnectorFakes() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/rating/rate", this::rate);
        server.createContext("/commerce/orders/", this::order);
        server.createContext("/licence/licences", this::licence);
        server.createContext("/licence/users", this::licenceUser);
        server.createContext("/callback/", this::callback);
        server.createContext("/moved/", this::moved);
        server.start();
    }

    public String ratingUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/rating";
    }

    public String licenceUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/licence";
    }

    /** The licence service's licences: key to the last body that created or renewed it. */
    public Map<String, String> licences() {
        return Map.copyOf(licences);
    }

    /** The body of the licence service's call with this idempotency key, or null. */
    public String licenceCall(String idempotencyKey) {
        return licenceCallsByKey.get(idempotencyKey);
    }

    /** The licence service's users: id to e-mail address. */
    public Map<String, String> licenceUsers() {
        return Map.copyOf(licenceUsers);
    }

    /** The callback URL of a tenant's own endpoint. */
    public String callbackUrl(String tenantId) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/callback/" + tenantId;
    }

    /** A tenant's callback URL that answers 302 to its real one (a redirect the service must not follow). */
    public String redirectingCallbackUrl(String tenantId) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/moved/" + tenantId;
    }

    /** How often a tenant's redirecting URL was called. */
    public int redirectCalls(String tenantId) {
        return redirectCalls.getOrDefault(tenantId, 0);
    }

    public List<CallbackCall> callbackCalls(String tenantId) {
        return callbackCalls.stream().filter(c -> c.tenantId().equals(tenantId)).toList();
    }

    public String commerceUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/commerce";
    }

    /** The next {@code times} calls about the tenant answer 503 (Integer.MAX_VALUE: down until {@link #heal}). */
    public void failRating(String tenantId, int times) {
        failuresLeftByTenant.put(tenantId, times);
    }

    public void heal(String tenantId) {
        failuresLeftByTenant.remove(tenantId);
    }

    /** Every call that named the tenant, in order. */
    public List<RatingCall> ratingCalls(String tenantId) {
        return ratingCalls.stream().filter(c -> c.body().contains("\"" + tenantId + "\"")).toList();
    }

    /** What the rating edge applied: one body per idempotency key. */
    public Map<String, String> ratedOnce() {
        return Map.copyOf(ratedOnce);
    }

    public void putOrder(String orderId, String json) {
        orders.put(orderId, json);
    }

    private void rate(HttpExchange exchange) throws IOException {
        try (exchange) {
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = 200;
            for (Map.Entry<String, Integer> failing : failuresLeftByTenant.entrySet()) {
                if (body.contains("\"" + failing.getKey() + "\"") && failing.getValue() > 0) {
                    failuresLeftByTenant.computeIfPresent(failing.getKey(), (t, n) -> n == Integer.MAX_VALUE ? n : n - 1);
                    status = 503;
                }
            }
            if (status == 200 && key == null) {
                status = 400;
            }
            if (status == 200) {
                ratedOnce.putIfAbsent(key, body);
            }
            ratingCalls.add(new RatingCall(key, body, status));
            byte[] answer = (status == 200 ? "{\"success\":true}" : "{\"success\":false}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    /** {@code POST /licences} creates, {@code POST /licences/{key}/renew} renews; a repeated key changes nothing. */
    private void licence(HttpExchange exchange) throws IOException {
        try (exchange) {
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            int status;
            if (key == null) {
                status = 400;
            } else if (licenceCallsByKey.putIfAbsent(key, body) != null) {
                status = 200; // a repeat: already applied
            } else if (path.endsWith("/renew")) {
                String licenceKey = path.substring("/licence/licences/".length(), path.length() - "/renew".length());
                status = licences.computeIfPresent(licenceKey, (k, old) -> body) != null ? 200 : 404;
            } else {
                String licenceKey = body.replaceAll(".*\"licence_key\":\"([^\"]+)\".*", "$1");
                licences.putIfAbsent(licenceKey, body);
                status = 201;
            }
            exchange.sendResponseHeaders(status, -1);
        }
    }

    /**
     * {@code POST /users} finds the user with the body's e-mail address or creates one, answering its id;
     * {@code PUT /users/{id}} changes a user's address (404 for an unknown id).
     */
    private void licenceUser(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String email = JsonParser.parseString(body).getAsJsonObject().get("email").getAsString();
            String path = exchange.getRequestURI().getPath();
            String id;
            int status;
            synchronized (licenceUsers) {
                if ("POST".equals(exchange.getRequestMethod())) {
                    id = licenceUsers.entrySet().stream().filter(user -> user.getValue().equals(email))
                            .map(Map.Entry::getKey).findFirst().orElse(null);
                    status = id == null ? 201 : 200;
                    if (id == null) {
                        id = "user_" + (licenceUsers.size() + 1);
                        licenceUsers.put(id, email);
                    }
                } else {
                    id = path.substring("/licence/users/".length());
                    status = licenceUsers.replace(id, email) != null ? 200 : 404;
                }
            }
            byte[] answer = ("{\"id\":\"" + id + "\",\"email\":\"" + email + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    private void callback(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            callbackCalls.add(new CallbackCall(path.substring(path.lastIndexOf('/') + 1),
                    exchange.getRequestHeaders().getFirst("Billing-Signature"),
                    exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
        }
    }

    private void moved(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String tenant = path.substring(path.lastIndexOf('/') + 1);
            redirectCalls.merge(tenant, 1, Integer::sum);
            exchange.getResponseHeaders().set("Location", "/callback/" + tenant);
            exchange.sendResponseHeaders(302, -1);
        }
    }

    private void order(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String order = orders.get(path.substring(path.lastIndexOf('/') + 1));
            byte[] answer = (order != null ? order : "{\"error\":\"order_not_found\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(order != null ? 200 : 404, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
