package io.billing.checkout;

import io.billing.platform.persistence.Transactions;
import io.billing.stripe.api.StripeApiException;
import io.billing.stripe.api.StripeGateway;
import io.billing.tenant.TenantId;
import io.billing.tenant.TenantMappings;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Starts Checkout Sessions and Billing Portal sessions for tenants.
 *
 * <p>A checkout is first recorded as a {@code checkout_attempt} (one per tenant and order id), then created in
 * Stripe with the attempt's idempotency key, {@code tenant_id}, {@code order_id} and the attempt id in the
 * metadata of the session and of what it creates (subscription or payment intent: the session's own
 * metadata does not reach them) and the tenant as {@code client_reference_id}. So a request retried after
 * a timeout or a Stripe failure reaches the same attempt and the same key, and Stripe creates no second
 * session; a request for an order that already has an open session gets that session back without a call.
 *
 * <p>The tenant pays as one Stripe customer, created once (its own idempotency key) and mapped to the
 * tenant, so its events resolve before any metadata is read.
 */
public final class CheckoutSessions {

    public enum Mode {
        SUBSCRIPTION, PAYMENT
    }

    /**
     * @param priceId a Stripe price, or null when {@code plan} names a catalogue product instead
     * @param plan    a catalogue product ({@code prod_…}) whose one active price of the mode is used
     */
    public record Request(String tenantId, String orderId, String priceId, String plan, long quantity, Mode mode) {
    }

    /** A session to send the buyer to; {@code reused} when an earlier request for the order created it. */
    public record Started(String attemptId, String sessionId, String url, Instant expiresAt, String customerId,
                          boolean reused) {
    }

    /** Where Stripe sends the buyer back to: after paying, after cancelling, from the portal. */
    public record Urls(String success, String cancel, String portalReturn) {
    }

    /** The order already has a checkout with other terms, or its session expired. */
    public static final class OrderConflictException extends Exception {
        public OrderConflictException(String message) {
            super(message);
        }
    }

    public static final String OPEN = "OPEN";
    public static final String CREATING = "CREATING";
    public static final String FAILED = "FAILED";

    private static final String INSERT_SQL = """
            INSERT INTO checkout_attempt (attempt_id, tenant_id, order_id, price_id, quantity, mode, status, created_at,
                                          updated_at)
            VALUES (?, ?, ?, ?, ?, ?, 'CREATING', ?, ?) ON CONFLICT DO NOTHING""";
    private static final String FIND_SQL = """
            SELECT attempt_id, price_id, quantity, mode, status, session_id, session_url, expires_at, customer_id
            FROM checkout_attempt WHERE tenant_id = ? AND order_id = ?""";
    private static final String OPENED_SQL = """
            UPDATE checkout_attempt SET status = 'OPEN', session_id = ?, session_url = ?, expires_at = ?, customer_id = ?,
                   error_code = NULL, updated_at = ?
            WHERE attempt_id = ?""";
    private static final String FAILED_SQL = """
            UPDATE checkout_attempt SET status = 'FAILED', error_code = ?, updated_at = ? WHERE attempt_id = ?""";
    private static final String PLAN_PRICES_SQL = """
            SELECT price_id FROM catalogue_price
            WHERE product_id = ? AND active AND NOT deleted AND (billing_interval IS NOT NULL) = ?
            ORDER BY price_id""";

    private record Attempt(String attemptId, String priceId, long quantity, Mode mode, String status, String sessionId,
                           String url, Instant expiresAt, String customerId) {
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final StripeGateway gateway;
    private final TenantMappings mappings;
    private final Urls urls;

    public CheckoutSessions(DataSource dataSource, Clock clock, StripeGateway gateway, TenantMappings mappings, Urls urls) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.gateway = gateway;
        this.mappings = mappings;
        this.urls = urls;
    }

    public Started start(Request request) throws SQLException, StripeApiException, OrderConflictException {
        requireId(request.tenantId(), "tenant_id");
        requireId(request.orderId(), "order_id");
        if (request.mode() == null) {
            throw new IllegalArgumentException("mode is required: subscription or payment");
        }
        if (request.quantity() < 1 || request.quantity() > 10_000) {
            throw new IllegalArgumentException("quantity must be 1 to 10000, not " + request.quantity());
        }
        String priceId = priceOf(request);
        Attempt attempt = recordAttempt(request, priceId);
        Instant now = clock.instant();
        if (OPEN.equals(attempt.status())) {
            if (attempt.expiresAt() != null && !attempt.expiresAt().isAfter(now)) {
                throw new OrderConflictException("the checkout session of order " + request.orderId()
                        + " has expired; start the purchase again under a new order id");
            }
            return new Started(attempt.attemptId(), attempt.sessionId(), attempt.url(), attempt.expiresAt(),
                    attempt.customerId(), true);
        }
        try {
            String customer = customerOf(request.tenantId());
            StripeGateway.CheckoutSession session = gateway.createCheckoutSession(new StripeGateway.CheckoutRequest(
                    customer, request.tenantId(), priceId, request.quantity(), request.mode() == Mode.SUBSCRIPTION,
                    Map.of("tenant_id", request.tenantId(), "order_id", request.orderId(),
                            "checkout_attempt_id", attempt.attemptId()),
                    urls.success(), urls.cancel()), "checkout-" + attempt.attemptId());
            Transactions.inTransaction(dataSource, connection -> {
                try (PreparedStatement update = connection.prepareStatement(OPENED_SQL)) {
                    update.setString(1, session.id());
                    update.setString(2, session.url());
                    update.setTimestamp(3, session.expiresAt() == null ? null : Timestamp.from(session.expiresAt()));
                    update.setString(4, customer);
                    update.setTimestamp(5, Timestamp.from(clock.instant()));
                    update.setString(6, attempt.attemptId());
                    return update.executeUpdate();
                }
            });
            return new Started(attempt.attemptId(), session.id(), session.url(), session.expiresAt(), customer, false);
        } catch (StripeApiException e) {
            Transactions.inTransaction(dataSource, connection -> {
                try (PreparedStatement update = connection.prepareStatement(FAILED_SQL)) {
                    update.setString(1, e.code() != null ? e.code() : e.kind().name());
                    update.setTimestamp(2, Timestamp.from(clock.instant()));
                    update.setString(3, attempt.attemptId());
                    return update.executeUpdate();
                }
            });
            throw e;
        }
    }

    /** A Billing Portal URL for the tenant's customer; empty when the tenant has none yet. */
    public Optional<String> portal(String tenantId) throws SQLException, StripeApiException {
        requireId(tenantId, "tenant_id");
        Optional<String> customer = mappings.customerOf(TenantId.of(tenantId));
        if (customer.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(gateway.createPortalSession(customer.get(), urls.portalReturn()));
    }

    /** The attempt for the tenant's order: created now, or the earlier one if its terms are the same. */
    private Attempt recordAttempt(Request request, String priceId) throws SQLException, OrderConflictException {
        Attempt attempt = Transactions.inTransaction(dataSource, connection -> {
            Instant now = clock.instant();
            try (PreparedStatement insert = connection.prepareStatement(INSERT_SQL)) {
                insert.setString(1, "chk_" + UUID.randomUUID().toString().replace("-", ""));
                insert.setString(2, request.tenantId());
                insert.setString(3, request.orderId());
                insert.setString(4, priceId);
                insert.setLong(5, request.quantity());
                insert.setString(6, request.mode().name());
                insert.setTimestamp(7, Timestamp.from(now));
                insert.setTimestamp(8, Timestamp.from(now));
                insert.executeUpdate(); // a concurrent or earlier request for the order keeps its own row
            }
            return find(connection, request.tenantId(), request.orderId());
        });
        if (!attempt.priceId().equals(priceId) || attempt.quantity() != request.quantity()
                || attempt.mode() != request.mode()) {
            throw new OrderConflictException("order " + request.orderId() + " was already checked out as "
                    + attempt.quantity() + " x " + attempt.priceId() + " (" + attempt.mode().name().toLowerCase()
                    + "); a different purchase needs its own order id");
        }
        return attempt;
    }

    private static Attempt find(Connection connection, String tenantId, String orderId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(FIND_SQL)) {
            query.setString(1, tenantId);
            query.setString(2, orderId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                Timestamp expires = row.getTimestamp("expires_at");
                return new Attempt(row.getString("attempt_id"), row.getString("price_id"), row.getLong("quantity"),
                        Mode.valueOf(row.getString("mode")), row.getString("status"), row.getString("session_id"),
                        row.getString("session_url"), expires == null ? null : expires.toInstant(),
                        row.getString("customer_id"));
            }
        }
    }

    /** The tenant's Stripe customer, created (once, whatever the concurrency: one idempotency key) if it has none. */
    private String customerOf(String tenantId) throws SQLException, StripeApiException {
        TenantId tenant = TenantId.of(tenantId);
        Optional<String> existing = mappings.customerOf(tenant);
        if (existing.isPresent()) {
            return existing.get();
        }
        String created = gateway.createCustomer(tenantId, mappings.nameOf(tenant).orElse(null),
                "customer-for-" + tenantId);
        mappings.recordCreatedCustomer(created, tenant);
        return created;
    }

    private String priceOf(Request request) throws SQLException {
        boolean byPrice = request.priceId() != null && !request.priceId().isBlank();
        boolean byPlan = request.plan() != null && !request.plan().isBlank();
        if (byPrice == byPlan) {
            throw new IllegalArgumentException("name either a price (price_…) or a catalogue plan (prod_…), not "
                    + (byPrice ? "both" : "neither"));
        }
        if (byPrice) {
            requireId(request.priceId(), "price");
            return request.priceId();
        }
        List<String> prices = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(PLAN_PRICES_SQL)) {
            query.setString(1, request.plan());
            query.setBoolean(2, request.mode() == Mode.SUBSCRIPTION);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    prices.add(rows.getString(1));
                }
            }
        }
        if (prices.size() != 1) {
            throw new IllegalArgumentException("plan " + request.plan() + " has " + prices.size() + " active "
                    + (request.mode() == Mode.SUBSCRIPTION ? "recurring" : "one-time")
                    + " prices in the catalogue" + (prices.isEmpty() ? "" : " " + prices) + "; name the price instead");
        }
        return prices.get(0);
    }

    private static void requireId(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        if (value.length() > 255) {
            throw new IllegalArgumentException(field + " is longer than 255 characters");
        }
    }
}
