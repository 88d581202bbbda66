package io.billing.apikey;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The API keys ({@link JpaApiKeyRepository}). Not tenant data: operators manage the keys of every tenant, and a
 * key bound to a tenant names it, so nothing here takes a tenant.
 */
public interface ApiKeyRepository {

    Optional<ApiKey> find(String keyId);

    /** The key, locked until the transaction ends: two revocations of one key serialise on it. */
    Optional<ApiKey> findForUpdate(String keyId);

    /** Every key, revoked ones included, newest first. */
    List<ApiKey> newestFirst();

    /** Adds a new key with the caller's transaction. */
    void add(ApiKey key);

    /**
     * Records that the key was used at {@code now}, unless a use at or after {@code staleBefore} is recorded already:
     * so concurrent requests, on this node or others, write the row once, not once each.
     *
     * @return whether the row changed
     */
    boolean recordUse(String keyId, Instant now, Instant staleBefore) throws SQLException;
}
