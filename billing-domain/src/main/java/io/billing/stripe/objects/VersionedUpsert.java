package io.billing.stripe.objects;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Applies a snapshot to a row only if it is newer than the one the row holds: the guard of the raw object
 * snapshots, which stay plain JDBC (the JPA aggregates lock their entity instead). The row must have the
 * columns {@code version_created}, {@code version_rank} and {@code version_event_id}.
 *
 * <p>The insert goes first ({@code ON CONFLICT DO NOTHING}), so a new object needs one statement; an
 * existing row is then locked before it is compared, so two workers applying snapshots of one object
 * serialise on it and the newer one wins whatever the order.
 */
public final class VersionedUpsert {

    /** A statement the caller prepares and binds; returns the update count. */
    @FunctionalInterface
    public interface Write {
        int run(Connection connection) throws SQLException;
    }

    /** How a snapshot was applied. */
    public enum Result {
        /** The object was new: the insert made the row. */
        INSERTED,
        /** The snapshot was newer and replaced the row's state. */
        UPDATED,
        /** The row already holds this or a newer snapshot: nothing changed. */
        STALE;

        public boolean changed() {
            return this != STALE;
        }
    }

    private VersionedUpsert() {
    }

    public static Result apply(Connection connection, String table, String idColumn, String id,
                               SnapshotVersion version, Write insertIfAbsent, Write update) throws SQLException {
        if (insertIfAbsent.run(connection) == 1) {
            return Result.INSERTED;
        }
        SnapshotVersion current;
        try (PreparedStatement lock = connection.prepareStatement("SELECT version_created, version_rank, version_event_id"
                + " FROM " + table + " WHERE " + idColumn + " = ? FOR UPDATE")) {
            lock.setString(1, id);
            try (ResultSet row = lock.executeQuery()) {
                row.next();
                current = new SnapshotVersion(row.getTimestamp(1).toInstant(), row.getInt(2), row.getString(3));
            }
        }
        if (!version.isNewerThan(current)) {
            return Result.STALE;
        }
        update.run(connection);
        return Result.UPDATED;
    }
}
