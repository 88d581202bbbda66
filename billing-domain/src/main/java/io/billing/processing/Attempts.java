package io.billing.processing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** Writes {@code event_attempt} rows: one per attempt, whatever its outcome. */
final class Attempts {

    static final int MAX_STACK_TRACE = 8000;
    static final int MAX_MESSAGE = 2000;

    private static final String INSERT_SQL = """
            INSERT INTO event_attempt (event_id, attempt_no, node_id, started_at, finished_at, outcome,
                                       error_class, error_message, stack_trace)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private Attempts() {
    }

    static void record(Connection connection, String eventId, int attemptNo, String nodeId, Instant started,
                       Instant finished, String outcome, Throwable error) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_SQL)) {
            insert.setString(1, eventId);
            insert.setInt(2, attemptNo);
            insert.setString(3, nodeId);
            insert.setTimestamp(4, Timestamp.from(started));
            insert.setTimestamp(5, Timestamp.from(finished));
            insert.setString(6, outcome);
            insert.setString(7, error == null ? null : error.getClass().getName());
            insert.setString(8, error == null ? null : truncate(String.valueOf(error.getMessage()), MAX_MESSAGE));
            insert.setString(9, error == null ? null : truncate(stackTrace(error), MAX_STACK_TRACE));
            insert.executeUpdate();
        }
    }

    static String stackTrace(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
