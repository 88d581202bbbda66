package io.billing.tenant;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;

import java.time.Instant;
import java.util.Objects;

/**
 * What a Stripe id (a customer, a Connect account) belongs to: its tenant, where the mapping came from (an
 * event, an operator, a customer this service created) and when it was made and last changed.
 */
@MappedSuperclass
public abstract class TenantMapping {

    private static final int MAX_SOURCE = 255;

    @Column(name = "tenant_id", nullable = false)
    private TenantId tenant;

    @Column(name = "source", nullable = false)
    private String source;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    /** For the persistence provider only. */
    protected TenantMapping() {
    }

    protected TenantMapping(TenantId tenant, String source, Instant now) {
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.source = requireSource(source);
        this.createdAt = Objects.requireNonNull(now, "now");
        this.updatedAt = now;
    }

    /** The Stripe id this mapping is for. */
    public abstract String key();

    public TenantId tenant() {
        return tenant;
    }

    public String source() {
        return source;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    /** Points the mapping at another tenant, saying who did it. */
    void reassign(TenantId tenant, String source, Instant now) {
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.source = requireSource(source);
        this.updatedAt = Objects.requireNonNull(now, "now");
    }

    static String requireKey(String key, String name) {
        if (key == null || key.isBlank() || key.length() > 255) {
            throw new IllegalArgumentException(name + " must be 1 to 255 characters");
        }
        return key;
    }

    private static String requireSource(String source) {
        if (source == null || source.isBlank() || source.length() > MAX_SOURCE) {
            throw new IllegalArgumentException("a mapping's source is 1 to " + MAX_SOURCE + " characters");
        }
        return source;
    }
}
