package io.billing.platform.persistence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Where H2's Java triggers find a column in the rows they are handed. */
public final class TriggerColumns {

    private TriggerColumns() {
    }

    /**
     * The 0-based position of {@code column} in the rows H2 hands a trigger on the table: H2 passes them in the
     * table's column order, which the migrations, not the trigger, decide.
     */
    public static int index(Connection connection, String schema, String table, String column) throws SQLException {
        try (ResultSet columns = connection.getMetaData().getColumns(null, schema, table, null)) {
            while (columns.next()) {
                if (column.equalsIgnoreCase(columns.getString("COLUMN_NAME"))) {
                    return columns.getInt("ORDINAL_POSITION") - 1;
                }
            }
        }
        throw new SQLException("table " + schema + "." + table + " has no column " + column);
    }
}
