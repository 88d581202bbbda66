package io.billing.checkout;

import io.billing.audit.AuditEntry;
import io.billing.audit.JpaAuditLog;
import io.billing.catalogue.CataloguePrice;
import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.DatabaseFailures;
import io.billing.stripe.api.StripeApiException;
import io.billing.stripe.api.StripeGateway;
import io.billing.stripe.view.CheckoutSessionView;
import io.billing.tenant.TenantId;
import io.billing.tenant.TenantMappings;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 *
 * <p>Nothing reaches Stripe that the service would not sell: the tenant must be registered (or the request asks for
 * it to be, and it is registered with the attempt), and the price must be one of the plan catalogue's active prices
 * of the mode's kind, in the currency asked for ({@link CheckoutPrices}). A forged price id is refused before
 * anything is recorded. Every Billing Portal session handed out is in the audit log.
 */
public final class CheckoutSessions {

    public enum Mode {
        SUBSCRIPTION, PAYMENT
    }

    /**
     * @param priceId      a price of the catalogue, or null when {@code plan} names a catalogue product instead
     * @param plan         a catalogue product ({@code prod_…}) whose one active price of the mode (and currency)
     *                     is used
     * @param currency     the currency the buyer pays in (lower or upper case), or null for the price's own
     * @param createTenant register the tenant if the service does not know it yet, rather than refuse
     */
    public record Request(String tenantId, String orderId, String priceId, String plan, long quantity, Mode mode,
                          String currency, boolean createTenant) {
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

    /**
     * The checkout may not be made as asked: an unknown tenant, or a price the catalogue does not offer. Nothing was
     * recorded and Stripe was not called.
     */
    public static final class RefusedException extends Exception {
        private final String code;

        public RefusedException(String code, String message) {
            super(message);
            this.code = code;
        }

        /** What is wrong, for scripts: {@code tenant_not_found}, {@code price_not_in_catalogue} … */
        public String code() {
            return code;
        }
    }

    private final DataAccess data;
    private final Clock clock;
    private final StripeGateway gateway;
    private final TenantMappings mappings;
    private final Urls urls;

    /**
     * Answers Stripe keeps under the idempotency key (its endpoint ran): asking again under that key gets them again.
     * A refused connection or a timeout got no answer, and a rate limit or a bad API key stopped the request before
     * it ran: asking again under the same key is what a retry should do.
     */
    private static final Set<StripeApiException.Kind> STORED_UNDER_THE_KEY = EnumSet.of(
            StripeApiException.Kind.API_ERROR, StripeApiException.Kind.CARD_ERROR,
            StripeApiException.Kind.INVALID_REQUEST, StripeApiException.Kind.NOT_FOUND);

    public CheckoutSessions(DataAccess data, Clock clock, StripeGateway gateway, TenantMappings mappings, Urls urls) {
        this.data = data;
        this.clock = clock;
        this.gateway = gateway;
        this.mappings = mappings;
        this.urls = urls;
    }

    /**
     * @param actor who asks (an API key), for the audit entry of a tenant it registers
     * @throws RefusedException        for an unknown tenant not to be created, or a price the catalogue does not offer
     * @throws IllegalArgumentException for a malformed request
     */
    public Started start(Request request, String actor)
            throws SQLException, StripeApiException, OrderConflictException, RefusedException {
        CheckoutAttempt.requireId(request.tenantId(), "tenant_id");
        CheckoutAttempt.requireId(request.orderId(), "order_id");
        if (request.mode() == null) {
            throw new IllegalArgumentException("mode is required: subscription or payment");
        }
        CheckoutAttempt.requireQuantity(request.quantity());
        TenantId tenant = TenantId.of(request.tenantId());
        boolean known = mappings.nameOf(tenant).isPresent();
        if (!known && !request.createTenant()) {
            throw new RefusedException("tenant_not_found", "tenant " + tenant + " is not known to the billing service;"
                    + " check the id, or set create_tenant to register it with this checkout");
        }
        String priceId = CheckoutPrices.choose(data, request).id();
        CheckoutAttempt attempt = recordAttempt(tenant, request, priceId, known ? null : actor);
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
                    urls.success(), urls.cancel()), attempt.idempotencyKey());
            settle(tenant, attempt.attemptId(), opened -> opened.opened(session.id(), session.url(),
                    session.expiresAt(), customer, clock.instant()));
            return new Started(attempt.attemptId(), session.id(), session.url(), session.expiresAt(), customer, false);
        } catch (StripeApiException e) {
            settle(tenant, attempt.attemptId(), failed -> failed.failed(e.code() != null ? e.code() : e.kind().name(),
                    STORED_UNDER_THE_KEY.contains(e.kind()), clock.instant()));
            throw e;
        }
    }

    /**
     * A Billing Portal URL for the tenant's customer; empty when the tenant has none yet. Whoever holds the URL can
     * manage the customer's billing, so every one handed out is audited (the customer, never the URL); one that
     * cannot be audited is not handed out.
     *
     * @param actor who asks (an API key)
     */
    public Optional<String> portal(String tenantId, String actor) throws SQLException, StripeApiException {
        CheckoutAttempt.requireId(tenantId, "tenant_id");
        Optional<String> customer = mappings.customerOf(TenantId.of(tenantId));
        if (customer.isEmpty()) {
            return Optional.empty();
        }
        String url = gateway.createPortalSession(customer.get(), urls.portalReturn());
        DatabaseFailures.inTransaction(data, unit -> {
            new JpaAuditLog(unit.entityManager()).append(new AuditEntry(clock.instant(), actor, "ISSUE_PORTAL_SESSION",
                    "tenant", tenantId, null, customer.get(), null));
            return null;
        });
        return Optional.of(url);
    }

    /**
     * The attempt for the tenant's order: created now, or the earlier one if its terms are the same. A tenant to be
     * registered ({@code registeringActor} not null) is registered in the same transaction.
     */
    private CheckoutAttempt recordAttempt(TenantId tenant, Request request, String priceId, String registeringActor)
            throws SQLException, OrderConflictException {
        CheckoutAttempt attempt = DatabaseFailures.inTransaction(data, unit -> {
            if (registeringActor != null) {
                mappings.register(unit, tenant, registeringActor, "registered by a checkout of order "
                        + request.orderId());
            }
            return CheckoutAttempts.of(unit.entityManager()).addOrFindForOrder(CheckoutAttempt.start(tenant,
                    request.orderId(), priceId, request.quantity(), request.mode(), clock.instant()));
        });
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
}
