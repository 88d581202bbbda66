package io.billing.processing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

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

    /** One attempt to record. */
    record Attempt(String eventId, int attemptNo, String nodeId, Instant started, Instant finished, String outcome,
                   Throwable error) {
    }

    static void record(Connection connection, String eventId, int attemptNo, String nodeId, Instant started,
                       Instant finished, String outcome, Throwable error) throws SQLException {
        recordAll(connection, List.of(new Attempt(eventId, attemptNo, nodeId, started, finished, outcome, error)));
    }

    /** Records several attempts in one round trip (a JDBC batch). */
    static void recordAll(Connection connection, List<Attempt> attempts) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_SQL)) {
            for (Attempt attempt : attempts) {
                Throwable error = attempt.error();
                insert.setString(1, attempt.eventId());
                insert.setInt(2, attempt.attemptNo());
                insert.setString(3, attempt.nodeId());
                insert.setTimestamp(4, Timestamp.from(attempt.started()));
                insert.setTimestamp(5, Timestamp.from(attempt.finished()));
                insert.setString(6, attempt.outcome());
                insert.setString(7, error == null ? null : error.getClass().getName());
                insert.setString(8, error == null ? null : truncate(String.valueOf(error.getMessage()), MAX_MESSAGE));
                insert.setString(9, error == null ? null : truncate(stackTrace(error), MAX_STACK_TRACE));
                insert.addBatch();
            }
            insert.executeBatch();
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
