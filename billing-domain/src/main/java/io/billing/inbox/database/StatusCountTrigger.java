package io.billing.inbox.database;

import io.billing.platform.persistence.TriggerColumns;
import org.h2.api.Trigger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;

/**
 * H2's half of the inbox's counts per status: a row trigger ({@code AFTER INSERT, UPDATE, DELETE … FOR EACH ROW
 * CALL}) on {@code inbox_event} that appends what the row did to the counts to {@code inbox_status_delta}, in the
 * writing statement's transaction: one event less in the status a row leaves, one more in the status it enters.
 * An update that keeps the status (a redelivery, a lease, data retention) writes nothing.
 *
 * <p>PostgreSQL's triggers write one delta per status for a whole statement; H2 hands a Java trigger one row at a
 * time and lets a statement trigger run no query of its own in auto-commit mode, so here each row writes its own.
 * The embedded database serves one node, far from the intake rates that make that matter. The deltas go to the
 * trigger's own schema, whatever schema the writing session is in. {@link HourCountTrigger} keeps the counts per hour
 * received the same way.
 */
public class StatusCountTrigger implements Trigger {

    private int statusColumn;
    private String insertDelta;

    @Override
    public void init(Connection connection, String schemaName, String triggerName, String tableName, boolean before,
                     int type) throws SQLException {
        this.statusColumn = TriggerColumns.index(connection, schemaName, tableName, "status");
        this.insertDelta = "INSERT INTO \"" + schemaName.replace("\"", "\"\"") + "\"." + insertInto();
    }

    /** The delta table and its columns, ending with the status and the events: what follows {@code INSERT INTO}. */
    protected String insertInto() {
        return "inbox_status_delta (status, events) VALUES (?, ?)";
    }

    /** Binds the delta's parameters before the status and the events; the next parameter's index. */
    protected int bindKey(PreparedStatement insert, Object[] row) throws SQLException {
        return 1;
    }

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        String left = oldRow == null ? null : (String) oldRow[statusColumn];
        String entered = newRow == null ? null : (String) newRow[statusColumn];
        if (Objects.equals(left, entered)) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(insertDelta)) {
            if (left != null) {
                add(insert, oldRow, left, -1);
            }
            if (entered != null) {
                add(insert, newRow, entered, 1);
            }
            insert.executeBatch();
        }
    }

    private void add(PreparedStatement insert, Object[] row, String status, long events) throws SQLException {
        int next = bindKey(insert, row);
        insert.setString(next, status);
        insert.setLong(next + 1, events);
        insert.addBatch();
    }
}
