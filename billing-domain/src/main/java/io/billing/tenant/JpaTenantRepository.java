package io.billing.tenant;

import io.billing.platform.persistence.DeferredWrites;
import io.billing.platform.persistence.UnitReads;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Tenants and their mappings on the persistence unit: look-ups by primary key through the persistence context,
 * the fixed queries named on the entities (each served by {@code ix_tenant_mapping_tenant} or
 * {@code ix_tenant_created}).
 *
 * <p>The two writes that must tolerate a concurrent writer of the same row, learning a mapping and registering
 * a tenant, stay SQL: {@code INSERT … ON CONFLICT DO NOTHING}, which JPA cannot say (a persisted entity whose
 * key is taken fails the whole transaction, that is the batch of events it belongs to). They run on the
 * transaction's own connection as plain JDBC rather than as native JPA queries: with batch writing, EclipseLink
 * defers a native update to the end of the transaction and reports one row whatever the database did, and
 * {@link #addIfAbsent} must know whether its row went in.
 *
 * <p>A unit of work reads a customer's or an account's tenant once ({@link UnitReads}): the engine resolves every
 * event of a batch, and a batch's events mostly name the same few customers. A mapping found is remembered; one not
 * found is looked for again, since another worker may learn it at any moment. Every write of a mapping here makes
 * the unit forget it, or remember what it wrote.
 */
public class JpaTenantRepository implements TenantRepository {

    private static final String ADD_IF_ABSENT_SQL = """
            INSERT INTO tenant_mapping (customer_id, tenant_id, source, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";
    private static final String REGISTER_SQL = "INSERT INTO tenant (tenant_id, name, status, created_at)"
            + " VALUES (?, ?, '" + Tenant.ACTIVE + "', ?) ON CONFLICT DO NOTHING";

    private final EntityManager entityManager;

    public JpaTenantRepository(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Override
    public Optional<Tenant> find(TenantId tenant) {
        return Optional.ofNullable(entityManager.find(Tenant.class, tenant.value()));
    }

    @Override
    public List<Tenant> recentlyRegistered(int limit) {
        return entityManager.createNamedQuery(Tenant.RECENTLY_REGISTERED, Tenant.class).setMaxResults(limit)
                .getResultList();
    }

    @Override
    public boolean register(TenantId tenant, Instant now) throws SQLException {
        try (PreparedStatement insert = connection().prepareStatement(REGISTER_SQL)) {
            insert.setString(1, tenant.value());
            insert.setString(2, tenant.value());
            insert.setTimestamp(3, Timestamp.from(now));
            return insert.executeUpdate() == 1;
        }
    }

    @Override
    public void registerAtCommit(TenantId tenant, Instant now) {
        DeferredWrites.of(entityManager).write(REGISTER_SQL, tenant.value(), tenant.value(), now);
    }

    @Override
    public Optional<TenantId> tenantOfCustomer(String customerId) {
        return tenantOf(CustomerMapping.class, customerId);
    }

    @Override
    public Optional<TenantId> tenantOfAccount(String accountId) {
        return tenantOf(AccountMapping.class, accountId);
    }

    private Optional<TenantId> tenantOf(Class<? extends TenantMapping> kind, String key) {
        return UnitReads.of(entityManager).onceFound(readKey(kind, key),
                () -> Optional.ofNullable(entityManager.find(kind, key)).map(TenantMapping::tenant));
    }

    /** What the unit of work remembers a mapping's tenant under. */
    private static Object readKey(Class<? extends TenantMapping> kind, String key) {
        return List.of(kind, key);
    }

    @Override
    public <M extends TenantMapping> Optional<M> lockMapping(Class<M> kind, String key) {
        UnitReads.of(entityManager).forget(readKey(kind, key)); // locked to be changed
        return Optional.ofNullable(entityManager.find(kind, key, LockModeType.PESSIMISTIC_WRITE));
    }

    @Override
    public boolean addIfAbsent(CustomerMapping mapping) throws SQLException {
        try (PreparedStatement insert = connection().prepareStatement(ADD_IF_ABSENT_SQL)) {
            insert.setString(1, mapping.customerId());
            insert.setString(2, mapping.tenant().value());
            insert.setString(3, mapping.source());
            insert.setTimestamp(4, Timestamp.from(mapping.createdAt()));
            insert.setTimestamp(5, Timestamp.from(mapping.updatedAt()));
            boolean added = insert.executeUpdate() == 1;
            UnitReads reads = UnitReads.of(entityManager);
            if (added) {
                reads.remember(readKey(CustomerMapping.class, mapping.key()), mapping.tenant());
            } else {
                reads.forget(readKey(CustomerMapping.class, mapping.key())); // another transaction's: read it
            }
            return added;
        }
    }

    @Override
    public void add(TenantMapping mapping) {
        UnitReads.of(entityManager).forget(readKey(mapping.getClass(), mapping.key()));
        entityManager.persist(mapping);
    }

    @Override
    public void remove(TenantMapping mapping) {
        UnitReads.of(entityManager).forget(readKey(mapping.getClass(), mapping.key()));
        entityManager.remove(mapping);
    }

    @Override
    public List<CustomerMapping> customerMappings(TenantId tenant) {
        return entityManager.createNamedQuery(CustomerMapping.OF_TENANT, CustomerMapping.class)
                .setParameter("tenant", tenant).getResultList();
    }

    @Override
    public Optional<String> latestCustomer(TenantId tenant) {
        return entityManager.createNamedQuery(CustomerMapping.CUSTOMERS_OF_TENANT_LATEST_FIRST, String.class)
                .setParameter("tenant", tenant).setMaxResults(1).getResultList().stream().findFirst();
    }

    /** The connection of the entity manager's transaction: statements on it commit with the entities. */
    private Connection connection() {
        Connection connection = entityManager.unwrap(Connection.class);
        if (connection == null) {
            throw new IllegalStateException("writing tenants needs a transaction");
        }
        return connection;
    }
}
