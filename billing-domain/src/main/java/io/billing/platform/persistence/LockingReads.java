package io.billing.platform.persistence;

import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;

import java.util.Optional;

/**
 * An entity read and locked ({@code SELECT … FOR UPDATE}) by a named query that carries EclipseLink's lock hint
 * ({@link #PESSIMISTIC_LOCK}), where the handlers lock the row an event changes.
 *
 * <p>Why not {@code EntityManager.find(type, id, PESSIMISTIC_WRITE)}: EclipseLink sets a JPA lock mode on its query
 * at every execution, which makes it prepare the query again (build its SQL) each time: in a CPU profile of the
 * engine that was three fifths of every locking look-up. A named query is prepared once, with its hint, when the
 * persistence unit starts. Its flush mode is {@code COMMIT}, as a {@code find} is: reading one row needs no flush of
 * what the event has changed so far (the engine flushes after each handler).
 *
 * <p>A copy of the entity that the unit of work read earlier is refreshed from the locked row (EclipseLink refreshes
 * what a locking query reads): a change another transaction committed since is seen, not overwritten, which matters
 * for the entities that carry no version column ({@code JpaCatalogueProductRepositoryTest} shows it).
 */
public final class LockingReads {

    /** EclipseLink's query hint for a pessimistic lock ({@code FOR UPDATE}); its value {@code "Lock"}. */
    public static final String PESSIMISTIC_LOCK = "eclipselink.pessimistic-lock";

    /** The name of the named queries' one parameter, the entity's id. */
    public static final String ID = "id";

    private LockingReads() {
    }

    /**
     * The entity {@code namedQuery} finds by its id (a query declared with {@code hints = @QueryHint(name =
     * PESSIMISTIC_LOCK, value = "Lock")} and one parameter {@code :id}), locked until the transaction ends.
     */
    public static <T> Optional<T> lockedById(EntityManager entityManager, String namedQuery, Class<T> type,
                                             Object id) {
        return entityManager.createNamedQuery(namedQuery, type).setParameter(ID, id)
                .setFlushMode(FlushModeType.COMMIT).getResultStream().findFirst();
    }
}
