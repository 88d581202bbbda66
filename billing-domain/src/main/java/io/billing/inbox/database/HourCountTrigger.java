package io.billing.inbox.database;

import io.billing.platform.persistence.TriggerColumns;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * H2's half of the inbox's counts per hour received and status ({@code db.migration.V80__inbox_hour_counts}): as
 * {@link StatusCountTrigger} does for the counts per status, one row at a time, into {@code inbox_hour_delta}, the
 * row's hour of receipt (a whole hour of UTC) beside its status.
 */
public final class HourCountTrigger extends StatusCountTrigger {

    private int receivedColumn;

    @Override
    public void init(Connection connection, String schemaName, String triggerName, String tableName, boolean before,
                     int type) throws SQLException {
        super.init(connection, schemaName, triggerName, tableName, before, type);
        this.receivedColumn = TriggerColumns.index(connection, schemaName, tableName, "received_at");
    }

    @Override
    protected String insertInto() {
        return "inbox_hour_delta (received_hour, status, events) VALUES (?, ?, ?)";
    }

    @Override
    protected int bindKey(PreparedStatement insert, Object[] row) throws SQLException {
        insert.setObject(1, instant(row[receivedColumn]).truncatedTo(ChronoUnit.HOURS).atOffset(ZoneOffset.UTC));
        return 2;
    }

    /** H2 hands a {@code TIMESTAMP WITH TIME ZONE} to a Java trigger as an {@link OffsetDateTime}. */
    private static Instant instant(Object value) throws SQLException {
        if (value instanceof OffsetDateTime at) {
            return at.toInstant();
        }
        if (value instanceof Timestamp at) {
            return at.toInstant();
        }
        throw new SQLException("received_at is not a time: " + value);
    }
}
