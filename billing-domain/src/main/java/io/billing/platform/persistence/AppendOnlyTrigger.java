package io.billing.platform.persistence;

import org.h2.api.Trigger;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * H2's half of an append-only table: a row trigger ({@code BEFORE UPDATE, DELETE … FOR EACH ROW CALL}) that refuses
 * every change and removal of a row, as PostgreSQL's trigger function does on the same tables. H2 runs triggers as
 * Java classes, so the embedded default gets the same guarantee from this class; the migration that creates the
 * triggers names it.
 *
 * <p>{@code TRUNCATE} fires no row trigger, on either database: it stays the one way to empty such a table, which
 * by default only the table's owner may do, and only a test database needs.
 */
public final class AppendOnlyTrigger implements Trigger {

    /** SQLSTATE {@code restrict_violation}, the state PostgreSQL's trigger raises too. */
    public static final String RESTRICT_VIOLATION = "23001";

    private String table;

    @Override
    public void init(Connection connection, String schemaName, String triggerName, String tableName, boolean before,
                     int type) {
        this.table = tableName;
    }

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        throw new SQLException(table + " is append-only: its rows are never " + (newRow == null ? "removed" : "changed"),
                RESTRICT_VIOLATION);
    }
}
