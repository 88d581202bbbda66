package io.billing.stripe.objects;

import io.billing.platform.persistence.Databases;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Applies a snapshot to a row only if it is newer than the one the row holds: the guard of the raw object
 * snapshots, which stay plain JDBC (the JPA aggregates lock their entity instead). The row must have the
 * columns {@code version_created}, {@code version_rank} and {@code version_event_id}.
 *
 * <p>On PostgreSQL one statement does it all: an insert whose conflict on the object's id updates the row only
 * where the snapshot is newer ({@code ON CONFLICT … DO UPDATE … WHERE}). PostgreSQL locks the conflicting row
 * and judges the condition on its latest committed version, so two workers applying snapshots of one object
 * serialise on it and the newer one wins whatever the order; the statement answers whether it inserted, updated
 * or left the row alone. Every later event of an object (an invoice is created, finalised, paid) is one round
 * trip instead of three. Elsewhere (the embedded database) the insert goes first ({@code ON CONFLICT DO
 * NOTHING}), then an existing row is locked, compared here and updated.
 *
 * <p>Both compare as {@link SnapshotVersion#compareTo} does: created, then rank, then the event id, the ids
 * compared byte by byte ({@code COLLATE "C"}, Java's order for Stripe's ASCII ids) rather than by the database's
 * language rules, which would order {@code evt_a} before {@code evt_B}.
 */
public final class VersionedUpsert {

    /** Binds a statement's parameters; for the insert, every column it names, in its order. */
    @FunctionalInterface
    public interface Binding {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /**
     * The table a kind of snapshot is kept in, and the statements on it, written once from its columns: the insert
     * names the id, then the {@code fixedColumns} an object keeps from its first snapshot, then the
     * {@code stateColumns} a newer snapshot replaces (the version columns among them), and binds them in that order;
     * the update (where the database has no conditional upsert) sets the state columns in their order, then takes the
     * id.
     */
    public static final class SnapshotTable {

        private final String upsertIfNewerSql;
        private final String insertIfAbsentSql;
        private final String lockSql;
        private final String updateSql;

        public SnapshotTable(String table, String idColumn, List<String> fixedColumns, List<String> stateColumns) {
            List<String> columns = new ArrayList<>();
            columns.add(idColumn);
            columns.addAll(fixedColumns);
            columns.addAll(stateColumns);
            String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                    + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
            this.insertIfAbsentSql = insert + " ON CONFLICT DO NOTHING";
            this.upsertIfNewerSql = insert + " ON CONFLICT (" + idColumn + ") DO UPDATE SET "
                    + stateColumns.stream().map(column -> column + " = EXCLUDED." + column)
                            .collect(Collectors.joining(", "))
                    + " WHERE (EXCLUDED.version_created, EXCLUDED.version_rank,"
                    + " EXCLUDED.version_event_id COLLATE \"C\")"
                    + " > (" + table + ".version_created, " + table + ".version_rank, " + table
                    + ".version_event_id COLLATE \"C\")"
                    // xmax is 0 on a row this statement inserted, and the updating transaction's id on one it updated
                    + " RETURNING (xmax = 0) AS inserted";
            this.lockSql = "SELECT version_created, version_rank, version_event_id FROM " + table + " WHERE "
                    + idColumn + " = ? FOR UPDATE";
            this.updateSql = "UPDATE " + table + " SET "
                    + stateColumns.stream().map(column -> column + " = ?").collect(Collectors.joining(", "))
                    + " WHERE " + idColumn + " = ?";
        }
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

    /**
     * Applies the snapshot {@code version} of object {@code id}.
     *
     * @param bindInsert binds the insert's parameters: the id, the fixed columns, the state columns
     * @param bindUpdate binds the update's parameters: the state columns, the id last (used only where there is no
     *                   conditional upsert)
     */
    public static Result apply(Connection connection, SnapshotTable table, String id, SnapshotVersion version,
                               Binding bindInsert, Binding bindUpdate) throws SQLException {
        return Databases.isPostgres(connection)
                ? upsertIfNewer(connection, table, bindInsert)
                : insertOrCompare(connection, table, id, version, bindInsert, bindUpdate);
    }

    private static Result upsertIfNewer(Connection connection, SnapshotTable table, Binding bindInsert)
            throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(table.upsertIfNewerSql)) {
            bindInsert.bind(upsert);
            try (ResultSet row = upsert.executeQuery()) {
                if (!row.next()) {
                    return Result.STALE;
                }
                return row.getBoolean(1) ? Result.INSERTED : Result.UPDATED;
            }
        }
    }

    private static Result insertOrCompare(Connection connection, SnapshotTable table, String id,
                                          SnapshotVersion version, Binding bindInsert, Binding bindUpdate)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(table.insertIfAbsentSql)) {
            bindInsert.bind(insert);
            if (insert.executeUpdate() == 1) {
                return Result.INSERTED;
            }
        }
        SnapshotVersion current;
        try (PreparedStatement lock = connection.prepareStatement(table.lockSql)) {
            lock.setString(1, id);
            try (ResultSet row = lock.executeQuery()) {
                row.next();
                current = new SnapshotVersion(row.getTimestamp(1).toInstant(), row.getInt(2), row.getString(3));
            }
        }
        if (!version.isNewerThan(current)) {
            return Result.STALE;
        }
        try (PreparedStatement update = connection.prepareStatement(table.updateSql)) {
            bindUpdate.bind(update);
            update.executeUpdate();
        }
        return Result.UPDATED;
    }
}
