package io.billing.tenant;

import java.util.Objects;

/**
 * A tenant's id as the SaaS application names it (the value of {@code metadata.tenant_id} in Stripe). Every
 * aggregate that holds tenant data holds one, and every repository query that reads tenant data takes one.
 * Stored as text ({@link TenantIdConverter}).
 */
public record TenantId(String value) implements Comparable<TenantId> {

    /** The column's width in every table that holds a tenant id. */
    public static final int MAX_LENGTH = 255;

    public TenantId {
        Objects.requireNonNull(value, "tenant id");
        if (value.isBlank()) {
            throw new IllegalArgumentException("a tenant id must not be blank");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a tenant id has at most " + MAX_LENGTH + " characters");
        }
    }

    public static TenantId of(String value) {
        return new TenantId(value);
    }

    /** The id, or null for null: for columns and fields that may hold no tenant yet. */
    public static TenantId ofNullable(String value) {
        return value == null ? null : new TenantId(value);
    }

    @Override
    public int compareTo(TenantId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
