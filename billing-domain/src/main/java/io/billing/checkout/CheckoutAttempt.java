package io.billing.checkout;

import io.billing.platform.persistence.LockingReads;
import io.billing.tenant.TenantId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.QueryHint;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A checkout a tenant asked for, recorded before Stripe is called, so that its id (in the session's metadata and
 * in its idempotency key) exists whatever Stripe answers. One per tenant and order: the terms (price, quantity,
 * mode) never change; the attempt is {@code CREATING} until Stripe answers, then {@code OPEN} with its session or
 * {@code FAILED} with Stripe's error code. Two requests for one order may settle it at once; {@code version}
 * keeps the first one's outcome.
 *
 * <p>Then it follows its session's events to the end: {@code PAYMENT_PENDING} when the buyer completed a session
 * whose payment is still under way (a bank debit), {@code COMPLETED} when it is paid, {@code PAYMENT_FAILED} when
 * that payment failed, {@code EXPIRED} when the session expired unpaid. Events come in any order: a state only
 * moves forward ({@link Status#stage()}), so a late {@code completed} does not undo an {@code async_payment_succeeded};
 * {@code settledAt} is Stripe's time of the event that brought the final state.
 *
 * <p>Stripe keeps its first answer under an idempotency key, errors included. A retry after Stripe answered with
 * an error asks under a new key (the attempt's next {@code keyGeneration}), so that it is not answered the stored
 * error again; a retry after no answer at all (a timeout, a refused connection) keeps the key, so that a session
 * Stripe created meanwhile is returned rather than made twice.
 */
@Entity
@Table(name = "checkout_attempt")
// Served by the unique constraint uq_checkout_attempt_order (tenant_id, order_id).
@NamedQuery(name = CheckoutAttempt.BY_ORDER,
        query = "SELECT a FROM CheckoutAttempt a WHERE a.tenant = :tenant AND a.orderId = :orderId")
// Served by the same constraint, and by the primary key.
@NamedQuery(name = CheckoutAttempt.BY_ORDERS,
        query = "SELECT a FROM CheckoutAttempt a WHERE a.tenant = :tenant AND a.orderId IN :orderIds")
@NamedQuery(name = CheckoutAttempt.BY_IDS,
        query = "SELECT a FROM CheckoutAttempt a WHERE a.tenant = :tenant AND a.attemptId IN :attemptIds")
@NamedQuery(name = CheckoutAttempt.LOCKED_BY_ID,
        query = "SELECT e FROM CheckoutAttempt e WHERE e.attemptId = :" + LockingReads.ID,
        hints = @QueryHint(name = LockingReads.PESSIMISTIC_LOCK, value = "Lock"))
public class CheckoutAttempt {

    /** One by its id, locked until the transaction ends ({@link LockingReads#lockedById}). */
    public static final String LOCKED_BY_ID = "CheckoutAttempt.lockedById";

    static final String BY_ORDER = "CheckoutAttempt.byOrder";
    static final String BY_ORDERS = "CheckoutAttempt.byOrders";
    static final String BY_IDS = "CheckoutAttempt.byIds";

    /** The most of one price a checkout sells. */
    public static final int MAX_QUANTITY = 10_000;
    /** The width of the order, price, customer and session id columns. */
    public static final int MAX_ID_LENGTH = 255;

    public enum Status {
        CREATING(0), FAILED(0), OPEN(1), PAYMENT_PENDING(2), COMPLETED(3), PAYMENT_FAILED(3), EXPIRED(3);

        private final int stage;

        Status(int stage) {
            this.stage = stage;
        }

        /** How far along the attempt is: a session's event only moves it to a later stage. */
        public int stage() {
            return stage;
        }

        /** Whether the session is over: paid, failed to pay, or expired. */
        public boolean isFinal() {
            return stage == 3;
        }
    }

    @Id
    @Column(name = "attempt_id")
    private String attemptId;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private TenantId tenant;

    @Column(name = "order_id", nullable = false, updatable = false)
    private String orderId;

    @Column(name = "price_id", nullable = false, updatable = false)
    private String priceId;

    @Column(name = "quantity", nullable = false, updatable = false)
    private int quantity;

    @Enumerated(EnumType.STRING)
    @Column(name = "mode", nullable = false, updatable = false)
    private CheckoutSessions.Mode mode;

    @Column(name = "customer_id")
    private String customerId;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false)
    private Status status;

    @Column(name = "session_id")
    private String sessionId;

    @Column(name = "session_url")
    private String sessionUrl;

    @Column(name = "expires_at")
    private Instant expiresAt;

    @Column(name = "error_code")
    private String errorCode;

    @Column(name = "key_generation", nullable = false)
    private int keyGeneration;

    @Column(name = "settled_at")
    private Instant settledAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    protected CheckoutAttempt() {
        // for the persistence provider
    }

    private CheckoutAttempt(String attemptId, TenantId tenant, String orderId, String priceId, long quantity,
                            CheckoutSessions.Mode mode, Instant now) {
        this.attemptId = attemptId;
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.orderId = requireId(orderId, "order_id");
        this.priceId = requireId(priceId, "price");
        this.quantity = requireQuantity(quantity);
        this.mode = Objects.requireNonNull(mode, "mode");
        this.status = Status.CREATING;
        this.createdAt = Objects.requireNonNull(now, "now");
        this.updatedAt = now;
    }

    /** A new attempt, with an id of its own, for a tenant's order. */
    public static CheckoutAttempt start(TenantId tenant, String orderId, String priceId, long quantity,
                                        CheckoutSessions.Mode mode, Instant now) {
        return new CheckoutAttempt("chk_" + UUID.randomUUID().toString().replace("-", ""), tenant, orderId, priceId,
                quantity, mode, now);
    }

    /** Stripe created the session (under this attempt's idempotency key) for the tenant's customer. */
    public void opened(String sessionId, String sessionUrl, Instant expiresAt, String customerId, Instant now) {
        this.status = Status.OPEN;
        this.sessionId = requireId(sessionId, "session id");
        this.sessionUrl = sessionUrl;
        this.expiresAt = expiresAt;
        this.customerId = customerId;
        this.errorCode = null;
        this.updatedAt = now;
    }

    /**
     * Stripe refused or could not be reached; an attempt that has its session already stays as it is.
     *
     * @param stripeAnswered whether Stripe answered (with an error it keeps under the key): the next try then asks
     *                       under a new key; false when no answer came, and the next try repeats the key
     */
    public void failed(String errorCode, boolean stripeAnswered, Instant now) {
        if (status != Status.CREATING && status != Status.FAILED) {
            return;
        }
        this.status = Status.FAILED;
        this.errorCode = errorCode;
        if (stripeAnswered) {
            this.keyGeneration++;
        }
        this.updatedAt = now;
    }

    /** The idempotency key of the next request to Stripe for this attempt's session. */
    public String idempotencyKey() {
        return "checkout-" + attemptId + (keyGeneration == 0 ? "" : "-" + keyGeneration);
    }

    /**
     * One of the session's events: moves the attempt to {@code next} if that is a later stage; returns whether it
     * did. The session is taken from the event where Stripe's answer never reached the attempt.
     *
     * @param happenedAt Stripe's time of the event
     */
    public boolean sessionProgressed(Status next, String sessionId, Instant happenedAt, Instant now) {
        if (next.stage() <= status.stage()) {
            return false;
        }
        this.status = next;
        if (this.sessionId == null) {
            this.sessionId = requireId(sessionId, "session id");
        }
        this.errorCode = null;
        if (next.isFinal()) {
            this.settledAt = happenedAt;
        }
        this.updatedAt = now;
        return true;
    }

    public boolean hasTerms(String priceId, long quantity, CheckoutSessions.Mode mode) {
        return this.priceId.equals(priceId) && this.quantity == quantity && this.mode == mode;
    }

    /** Whether the attempt's session can no longer be paid at {@code now}. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }

    public String attemptId() {
        return attemptId;
    }

    public TenantId tenant() {
        return tenant;
    }

    public String orderId() {
        return orderId;
    }

    public String priceId() {
        return priceId;
    }

    public int quantity() {
        return quantity;
    }

    public CheckoutSessions.Mode mode() {
        return mode;
    }

    public String customerId() {
        return customerId;
    }

    public Status status() {
        return status;
    }

    public String sessionId() {
        return sessionId;
    }

    public String sessionUrl() {
        return sessionUrl;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public String errorCode() {
        return errorCode;
    }

    public int keyGeneration() {
        return keyGeneration;
    }

    /** Stripe's time of the event that ended the session; null while it is not over. */
    public Instant settledAt() {
        return settledAt;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    /** A quantity a checkout may sell, or the reason it may not. */
    static int requireQuantity(long quantity) {
        if (quantity < 1 || quantity > MAX_QUANTITY) {
            throw new IllegalArgumentException("quantity must be 1 to " + MAX_QUANTITY + ", not " + quantity);
        }
        return (int) quantity;
    }

    /** An id a checkout names, or the reason it may not. */
    static String requireId(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        if (value.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException(field + " is longer than " + MAX_ID_LENGTH + " characters");
        }
        return value;
    }
}
