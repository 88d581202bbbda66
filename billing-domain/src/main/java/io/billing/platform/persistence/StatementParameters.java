package io.billing.platform.persistence;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;

/**
 * Binds a statement's parameters given as plain values, for the unit of work's JDBC statements: {@code Instant}s as
 * timestamps, nulls as untyped text (a statement whose column is not text names its type with a {@code CAST}), and
 * everything else as the driver maps it.
 */
public final class StatementParameters {

    private StatementParameters() {
    }

    /** Binds {@code parameters} in order, from the first placeholder. */
    public static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object value = parameters[i];
            if (value instanceof Instant instant) {
                statement.setTimestamp(i + 1, Timestamp.from(instant));
            } else if (value == null) {
                statement.setNull(i + 1, Types.VARCHAR);
            } else {
                statement.setObject(i + 1, value);
            }
        }
    }
}
