package io.billing.tenant;

import io.billing.platform.persistence.Databases;
import io.billing.platform.persistence.DeferredWrites;
import io.billing.platform.persistence.UnitReads;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * {@link #mapUnlessMapped} must know whether its row went in. On PostgreSQL that insert also reads the mapping it
 * ran into, in the same statement: most events of a new customer name their tenant, and each of them would otherwise
 * look the customer up first and then insert, two round trips where one does.
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
    /**
     * PostgreSQL: the mapping recorded unless the customer has one, and which, in one round trip. The first arm
     * answers with the row this statement inserted; the second with the customer's mapping as the statement's
     * snapshot saw it, which is the one the insert ran into. The snapshot is taken before the insert, so the two arms
     * answer together only if an operator's removal of the mapping commits in between; the insert's row is ordered
     * first, and only the first row is read. Neither answers when the insert waited for another transaction's mapping of
     * the customer that committed after the snapshot was taken: the next statement sees it.
     */
    private static final String MAP_UNLESS_MAPPED_SQL = "WITH added AS (" + ADD_IF_ABSENT_SQL + " RETURNING tenant_id)"
            + " SELECT TRUE AS added, tenant_id FROM added"
            + " UNION ALL SELECT FALSE, tenant_id FROM tenant_mapping WHERE customer_id = ?"
            + " ORDER BY added DESC";

    /**
     * How often {@link #mapUnlessMapped} tries again when another transaction's mapping of the customer appeared or
     * went while it tried: each try sees what committed before it, so a second one answers unless an operator
     * removes and re-adds that very mapping meanwhile.
     */
    private static final int MAPPING_TRIES = 3;

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
    public Optional<TenantId> mapUnlessMapped(CustomerMapping mapping) throws SQLException {
        Object key = readKey(CustomerMapping.class, mapping.key());
        UnitReads reads = UnitReads.of(entityManager);
        Optional<TenantId> known = reads.remembered(key);
        if (known.isPresent()) {
            return known; // read or written earlier in this unit of work: no statement
        }
        Connection connection = connection();
        boolean postgres = Databases.isPostgres(connection);
        for (int tried = 0; tried < MAPPING_TRIES; tried++) {
            MappingTry outcome = postgres ? insertOrRead(connection, mapping) : readOrInsert(connection, mapping);
            if (outcome.added()) {
                reads.remember(key, mapping.tenant());
                return Optional.empty();
            }
            if (outcome.before() != null) {
                reads.remember(key, outcome.before());
                return Optional.of(outcome.before());
            }
        }
        throw new SQLException("the mapping of customer " + mapping.customerId() + " changed " + MAPPING_TRIES
                + " times while it was being learnt");
    }

    /**
     * What one try of {@link #mapUnlessMapped} found: this mapping recorded, or the tenant the customer was mapped to
     * before, or neither (another transaction's mapping of the customer appeared or went while it ran).
     */
    private record MappingTry(boolean added, TenantId before) {
        static final MappingTry ADDED = new MappingTry(true, null);
        static final MappingTry NEITHER = new MappingTry(false, null);
    }

    /** PostgreSQL: one statement ({@link #MAP_UNLESS_MAPPED_SQL}). */
    private static MappingTry insertOrRead(Connection connection, CustomerMapping mapping) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(MAP_UNLESS_MAPPED_SQL)) {
            bindMapping(statement, mapping);
            statement.setString(6, mapping.customerId());
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return MappingTry.NEITHER;
                }
                return row.getBoolean(1) ? MappingTry.ADDED : new MappingTry(false, TenantId.of(row.getString(2)));
            }
        }
    }

    /** H2, whose statements cannot insert and read at once: a look-up by primary key, then the insert. */
    private MappingTry readOrInsert(Connection connection, CustomerMapping mapping) throws SQLException {
        CustomerMapping before = entityManager.find(CustomerMapping.class, mapping.key());
        if (before != null) {
            return new MappingTry(false, before.tenant());
        }
        try (PreparedStatement insert = connection.prepareStatement(ADD_IF_ABSENT_SQL)) {
            bindMapping(insert, mapping);
            return insert.executeUpdate() == 1 ? MappingTry.ADDED : MappingTry.NEITHER;
        }
    }

    private static void bindMapping(PreparedStatement statement, CustomerMapping mapping) throws SQLException {
        statement.setString(1, mapping.customerId());
        statement.setString(2, mapping.tenant().value());
        statement.setString(3, mapping.source());
        statement.setTimestamp(4, Timestamp.from(mapping.createdAt()));
        statement.setTimestamp(5, Timestamp.from(mapping.updatedAt()));
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
