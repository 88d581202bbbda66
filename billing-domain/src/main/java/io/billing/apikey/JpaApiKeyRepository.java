package io.billing.apikey;

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
 * The API keys on the persistence unit: look-ups by primary key, the named list of {@link ApiKey}.
 *
 * <p>Recording a use is one conditional {@code UPDATE} on the transaction's own connection rather than a change of
 * the entity: it must not overwrite a revocation committed meanwhile (an entity's flush writes what it read), and
 * it must say whether its row changed, which a native JPA update under batch writing does not report.
 */
public class JpaApiKeyRepository implements ApiKeyRepository {

    private static final String RECORD_USE_SQL = """
            UPDATE api_key SET last_used_at = ?
            WHERE key_id = ? AND (last_used_at IS NULL OR last_used_at < ?)""";

    private final EntityManager entityManager;

    public JpaApiKeyRepository(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Override
    public Optional<ApiKey> find(String keyId) {
        return Optional.ofNullable(entityManager.find(ApiKey.class, keyId));
    }

    @Override
    public Optional<ApiKey> findForUpdate(String keyId) {
        return Optional.ofNullable(entityManager.find(ApiKey.class, keyId, LockModeType.PESSIMISTIC_WRITE));
    }

    @Override
    public List<ApiKey> newestFirst() {
        return entityManager.createNamedQuery(ApiKey.NEWEST_FIRST, ApiKey.class).getResultList();
    }

    @Override
    public void add(ApiKey key) {
        entityManager.persist(key);
    }

    @Override
    public boolean recordUse(String keyId, Instant now, Instant staleBefore) throws SQLException {
        Connection connection = entityManager.unwrap(Connection.class);
        if (connection == null) {
            throw new IllegalStateException("recording a key's use needs a transaction");
        }
        try (PreparedStatement update = connection.prepareStatement(RECORD_USE_SQL)) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setString(2, keyId);
            update.setTimestamp(3, Timestamp.from(staleBefore));
            return update.executeUpdate() == 1;
        }
    }
}
