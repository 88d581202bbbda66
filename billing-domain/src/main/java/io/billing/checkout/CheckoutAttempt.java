package io.billing.checkout;

import io.billing.tenant.TenantId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
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
 */
@Entity
@Table(name = "checkout_attempt")
// Served by the unique constraint uq_checkout_attempt_order (tenant_id, order_id).
@NamedQuery(name = CheckoutAttempt.BY_ORDER,
        query = "SELECT a FROM CheckoutAttempt a WHERE a.tenant = :tenant AND a.orderId = :orderId")
public class CheckoutAttempt {

    static final String BY_ORDER = "CheckoutAttempt.byOrder";

    /** The most of one price a checkout sells. */
    public static final int MAX_QUANTITY = 10_000;
    /** The width of the order, price, customer and session id columns. */
    public static final int MAX_ID_LENGTH = 255;

    public enum Status {
        CREATING, OPEN, FAILED
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

    /** Stripe refused or could not be reached; an attempt that has its session already stays open. */
    public void failed(String errorCode, Instant now) {
        if (status == Status.OPEN) {
            return;
        }
        this.status = Status.FAILED;
        this.errorCode = errorCode;
        this.updatedAt = now;
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
