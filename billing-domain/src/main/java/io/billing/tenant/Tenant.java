package io.billing.tenant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A tenant of the SaaS application, registered the first time a mapping names it (see {@link
 * TenantRepository#register}), named by its id until someone renames it.
 *
 * <p>Its id is held as text and handed out as a {@link TenantId}: JPA applies no converter to an id.
 */
@Entity
@Table(name = "tenant")
@NamedQuery(name = Tenant.RECENTLY_REGISTERED,
        query = "SELECT t FROM Tenant t ORDER BY t.createdAt DESC, t.id")
public class Tenant {

    /** The status of a registered tenant. */
    public static final String ACTIVE = "ACTIVE";

    static final String RECENTLY_REGISTERED = "Tenant.recentlyRegistered";

    @Id
    @Column(name = "tenant_id")
    private String id;

    @Column(name = "name", nullable = false)
    private String name;

    @Column(name = "status", nullable = false)
    private String status;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    /** For the persistence provider only. */
    protected Tenant() {
    }

    public TenantId id() {
        return TenantId.of(id);
    }

    public String name() {
        return name;
    }

    public String status() {
        return status;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
