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
 * trigger's own schema, whatever schema the writing session is in.
 */
public final class StatusCountTrigger implements Trigger {

    private int statusColumn;
    private String insertDelta;

    @Override
    public void init(Connection connection, String schemaName, String triggerName, String tableName, boolean before,
                     int type) throws SQLException {
        this.statusColumn = TriggerColumns.index(connection, schemaName, tableName, "status");
        this.insertDelta = "INSERT INTO \"" + schemaName.replace("\"", "\"\"")
                + "\".inbox_status_delta (status, events) VALUES (?, ?)";
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
                insert.setString(1, left);
                insert.setLong(2, -1);
                insert.addBatch();
            }
            if (entered != null) {
                insert.setString(1, entered);
                insert.setLong(2, 1);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
