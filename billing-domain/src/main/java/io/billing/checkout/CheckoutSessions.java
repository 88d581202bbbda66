package io.billing.checkout;

import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.DatabaseFailures;
import io.billing.stripe.api.StripeApiException;
import io.billing.stripe.api.StripeGateway;
import io.billing.stripe.view.CheckoutSessionView;
import io.billing.tenant.TenantId;
import io.billing.tenant.TenantMappings;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Starts Checkout Sessions and Billing Portal sessions for tenants.
 *
 * <p>A checkout is first recorded as a {@link CheckoutAttempt} (one per tenant and order id), then created in
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

    /** The catalogue's prices, read as the catalogue keeps them: plain SQL on its table. */
    private static final String PLAN_PRICES_SQL = """
            SELECT price_id FROM catalogue_price
            WHERE product_id = ? AND active AND NOT deleted AND (billing_interval IS NOT NULL) = ?
            ORDER BY price_id""";

    private final DataAccess data;
    private final Clock clock;
    private final StripeGateway gateway;
    private final TenantMappings mappings;
    private final Urls urls;

    public CheckoutSessions(DataAccess data, Clock clock, StripeGateway gateway, TenantMappings mappings, Urls urls) {
        this.data = data;
        this.clock = clock;
        this.gateway = gateway;
        this.mappings = mappings;
        this.urls = urls;
    }

    public Started start(Request request) throws SQLException, StripeApiException, OrderConflictException {
        CheckoutAttempt.requireId(request.tenantId(), "tenant_id");
        CheckoutAttempt.requireId(request.orderId(), "order_id");
        if (request.mode() == null) {
            throw new IllegalArgumentException("mode is required: subscription or payment");
        }
        CheckoutAttempt.requireQuantity(request.quantity());
        TenantId tenant = TenantId.of(request.tenantId());
        String priceId = priceOf(request);
        CheckoutAttempt attempt = recordAttempt(tenant, request, priceId);
        Instant now = clock.instant();
        if (attempt.status() == CheckoutAttempt.Status.OPEN) {
            if (attempt.expiredAt(now)) {
                throw new OrderConflictException("the checkout session of order " + request.orderId()
                        + " has expired; start the purchase again under a new order id");
            }
            return new Started(attempt.attemptId(), attempt.sessionId(), attempt.sessionUrl(), attempt.expiresAt(),
                    attempt.customerId(), true);
        }
        try {
            String customer = customerOf(request.tenantId());
            StripeGateway.CheckoutSession session = gateway.createCheckoutSession(new StripeGateway.CheckoutRequest(
                    customer, request.tenantId(), priceId, request.quantity(), request.mode() == Mode.SUBSCRIPTION,
                    Map.of("tenant_id", request.tenantId(), "order_id", request.orderId(),
                            CheckoutSessionView.ATTEMPT_METADATA_KEY, attempt.attemptId()),
                    urls.success(), urls.cancel()), "checkout-" + attempt.attemptId());
            settle(tenant, attempt.attemptId(), opened -> opened.opened(session.id(), session.url(),
                    session.expiresAt(), customer, clock.instant()));
            return new Started(attempt.attemptId(), session.id(), session.url(), session.expiresAt(), customer, false);
        } catch (StripeApiException e) {
            settle(tenant, attempt.attemptId(), failed -> failed.failed(e.code() != null ? e.code() : e.kind().name(),
                    clock.instant()));
            throw e;
        }
    }

    /** A Billing Portal URL for the tenant's customer; empty when the tenant has none yet. */
    public Optional<String> portal(String tenantId) throws SQLException, StripeApiException {
        CheckoutAttempt.requireId(tenantId, "tenant_id");
        Optional<String> customer = mappings.customerOf(TenantId.of(tenantId));
        if (customer.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(gateway.createPortalSession(customer.get(), urls.portalReturn()));
    }

    /** The attempt for the tenant's order: created now, or the earlier one if its terms are the same. */
    private CheckoutAttempt recordAttempt(TenantId tenant, Request request, String priceId)
            throws SQLException, OrderConflictException {
        CheckoutAttempt attempt = DatabaseFailures.inTransaction(data, unit -> CheckoutAttempts
                .of(unit.entityManager()).addOrFindForOrder(CheckoutAttempt.start(tenant, request.orderId(), priceId,
                        request.quantity(), request.mode(), clock.instant())));
        if (!attempt.hasTerms(priceId, request.quantity(), request.mode())) {
            throw new OrderConflictException("order " + request.orderId() + " was already checked out as "
                    + attempt.quantity() + " x " + attempt.priceId() + " (" + attempt.mode().name().toLowerCase()
                    + "); a different purchase needs its own order id");
        }
        return attempt;
    }

    /**
     * Records Stripe's answer on the attempt. A concurrent request for the same order may have settled it first;
     * its outcome then stands (an attempt left failed is asked of Stripe again by the order's next request, under
     * the same idempotency key).
     */
    private void settle(TenantId tenant, String attemptId, Consumer<CheckoutAttempt> change) throws SQLException {
        try {
            data.inTransaction(unit -> {
                CheckoutAttempts.of(unit.entityManager()).find(tenant, attemptId).ifPresent(change);
                unit.flush();
                return null;
            });
        } catch (OptimisticLockException e) {
            // settled by the concurrent request: see above
        } catch (PersistenceException e) {
            throw DatabaseFailures.asSqlException(e);
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
            return CheckoutAttempt.requireId(request.priceId(), "price");
        }
        List<String> prices = new ArrayList<>();
        try (Connection connection = data.dataSource().getConnection();
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
}
