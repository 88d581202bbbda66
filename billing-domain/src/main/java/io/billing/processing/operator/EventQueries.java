package io.billing.processing.operator;

import io.billing.inbox.InboxStatusCounts;
import io.billing.outbox.Outbox;
import io.billing.outbox.OutboxDispatcher;
import io.billing.processing.operator.EventViews.Action;
import io.billing.processing.operator.EventViews.Attempt;
import io.billing.processing.operator.EventViews.Detail;
import io.billing.processing.operator.EventViews.Page;
import io.billing.processing.operator.EventViews.Summary;
import io.billing.trace.EventSummaries;
import io.billing.trace.PaymentNames;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Operators' read access to events: filtered, paged lists and one event's whole story. */
public class EventQueries {

    private static final String SUMMARY_COLUMNS = "event_id, event_type, status, status_reason, tenant_id, object_type,"
            + " object_id, customer_id, stripe_created, received_at, delivery_count, attempt_count, due_at, livemode";

    /** A listed event's columns: its row's, and what its line is made from. */
    private static final String LISTED_COLUMNS = SUMMARY_COLUMNS + ", " + EventSummaries.LINE_COLUMNS;

    /** An event's row read with its kept line or its body, before its line is made. */
    private record Listed(Summary row, byte[] body, String line) {
    }

    static final String OLDEST_DUE_SQL = "SELECT MIN(due_at) FROM inbox_event WHERE due_at IS NOT NULL";
    /**
     * The outbox's statuses but {@code DELIVERED} by name: {@code status <> 'DELIVERED'} reads no index range, so it
     * would read every message kept, the delivered ones (most of them) included.
     */
    static final String OUTBOX_SQL = "SELECT COUNT(*) FILTER (WHERE status <> '" + OutboxDispatcher.FAILED + "'),"
            + " COUNT(*) FILTER (WHERE status = '" + OutboxDispatcher.FAILED + "') FROM outbox_message"
            + " WHERE status IN ('" + Outbox.PENDING + "', '" + OutboxDispatcher.SENDING + "', '"
            + OutboxDispatcher.RETRY_SCHEDULED + "', '" + OutboxDispatcher.FAILED + "')";

    private final DataSource dataSource;

    public EventQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Events matching the filter, newest first by Stripe's {@code created}, with the total (counted). */
    public Page list(EventFilter filter) throws SQLException {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        filter(filter, where, parameters);
        try (Connection connection = dataSource.getConnection()) {
            long total;
            try (PreparedStatement count = prepare(connection, "SELECT COUNT(*) FROM inbox_event" + where, parameters)) {
                try (ResultSet row = count.executeQuery()) {
                    row.next();
                    total = row.getLong(1);
                }
            }
            List<Object> paged = new ArrayList<>(parameters);
            paged.add(filter.size());
            paged.add((long) filter.page() * filter.size());
            List<Listed> events = new ArrayList<>();
            try (PreparedStatement query = prepare(connection, "SELECT " + LISTED_COLUMNS + " FROM inbox_event" + where
                    + " ORDER BY stripe_created DESC, event_id DESC LIMIT ? OFFSET ?", paged)) {
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        events.add(listed(row));
                    }
                }
            }
            return new Page(summedUp(connection, events), filter.page(), filter.size(), total);
        }
    }

    /**
     * One page of events matching the filter, by keyset: the page after (older than) or before (newer than)
     * the cursor's row, newest first, without counting anything, so a page costs the same on a million
     * rows as on a hundred (an index on {@code (stripe_created, event_id)} and on each filter column).
     *
     * @param search an id to find anywhere (the event id, its object or its customer); null for none
     * @param cursor the row to continue from; null for the newest page (older) or the oldest page (not older)
     * @param older  continue towards older rows (true) or newer ones (false)
     * @return the page's rows, newest first, whichever way it was reached
     */
    public EventViews.Slice slice(EventFilter filter, String search, EventViews.Cursor cursor, boolean older, int size)
            throws SQLException {
        EventViews.SortedSlice page = slice(filter, search, EventViews.Order.CREATED, true, cursor, older, size);
        return new EventViews.Slice(page.events(), page.next(), page.previous());
    }

    /**
     * One page of events matching the filter in the order asked for, by keyset (see {@link EventViews.Order}): the
     * page after the cursor's row or the one before it, without counting anything.
     *
     * @param search     an id to find anywhere (the event id, its object or its customer); null for none
     * @param descending the order's direction: the greatest first (newest, for the created order) or the least
     * @param cursor     the row to continue from (a cursor of the same order); null for the first page (forward) or
     *                   the last page (not forward)
     * @param forward    the page after the cursor (true) or the one before it (false)
     * @return the page's rows in the order asked for, whichever way it was reached
     */
    public EventViews.SortedSlice slice(EventFilter filter, String search, EventViews.Order order, boolean descending,
                                        EventViews.Cursor cursor, boolean forward, int size) throws SQLException {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        filter(filter, where, parameters);
        if (search != null && !search.isBlank()) {
            where.append(" AND (event_id = ? OR object_id = ? OR customer_id = ?)");
            String id = search.trim();
            parameters.add(id);
            parameters.add(id);
            parameters.add(id);
        }
        // The page before the cursor is read in the other direction from the cursor, then turned round.
        boolean scanDescending = descending == forward;
        if (cursor != null) {
            where.append(" AND (").append(order.keyset()).append(scanDescending ? ") < (" : ") > (")
                    .append(order == EventViews.Order.CREATED ? "?, ?)" : "?, ?, ?)");
            if (order != EventViews.Order.CREATED) {
                parameters.add(cursor.key());
            }
            parameters.add(Timestamp.from(cursor.created()));
            parameters.add(cursor.eventId());
        }
        parameters.add(size + 1);
        String direction = scanDescending ? " DESC" : "";
        String orderBy = " ORDER BY " + String.join(", ", java.util.Arrays.stream(order.keyset().split(", "))
                .map(column -> column + direction).toList());
        try (Connection connection = dataSource.getConnection()) {
            List<Listed> rows = new ArrayList<>();
            try (PreparedStatement query = prepare(connection, "SELECT " + LISTED_COLUMNS + " FROM inbox_event" + where
                    + orderBy + " LIMIT ?", parameters);
                 ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    rows.add(listed(row));
                }
            }
            boolean more = rows.size() > size;
            if (more) {
                rows.remove(rows.size() - 1);
            }
            if (!forward) {
                java.util.Collections.reverse(rows);
            }
            EventViews.Cursor first = rows.isEmpty() ? null : EventViews.Cursor.of(rows.get(0).row(), order);
            EventViews.Cursor last = rows.isEmpty() ? null
                    : EventViews.Cursor.of(rows.get(rows.size() - 1).row(), order);
            EventViews.Cursor next = forward ? (more ? last : null) : (cursor == null ? null : last);
            EventViews.Cursor previous = forward ? (cursor == null ? null : first) : (more ? first : null);
            return new EventViews.SortedSlice(summedUp(connection, rows), next, previous);
        }
    }

    private static void filter(EventFilter filter, StringBuilder where, List<Object> parameters) {
        add(where, parameters, "status = ?", filter.status() == null ? null : filter.status().name());
        add(where, parameters, "event_type = ?", filter.type());
        add(where, parameters, "tenant_id = ?", filter.tenantId());
        add(where, parameters, "object_id = ?", filter.objectId());
        add(where, parameters, "stripe_created >= ?", filter.from() == null ? null : Timestamp.from(filter.from()));
        add(where, parameters, "stripe_created < ?", filter.to() == null ? null : Timestamp.from(filter.to()));
    }

    /**
     * The engine at a glance: events per status, when the oldest waiting event was due, and the outbox's
     * backlog (messages not yet delivered or failed). Each costs the same however many events and messages are
     * kept: the counts per status are kept by the database ({@link InboxStatusCounts}), the oldest due time is the
     * first entry of the due-time index, and the outbox's figures count the undelivered messages through the
     * status index, never the delivered ones.
     */
    public EventViews.Overview overview() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            java.util.Map<String, Long> byStatus = InboxStatusCounts.read(connection);
            Instant oldestDue;
            try (PreparedStatement query = connection.prepareStatement(OLDEST_DUE_SQL);
                 ResultSet row = query.executeQuery()) {
                row.next();
                Timestamp due = row.getTimestamp(1);
                oldestDue = due == null ? null : due.toInstant();
            }
            long outboxBacklog;
            long outboxFailed;
            try (PreparedStatement query = connection.prepareStatement(OUTBOX_SQL);
                 ResultSet row = query.executeQuery()) {
                row.next();
                outboxBacklog = row.getLong(1);
                outboxFailed = row.getLong(2);
            }
            return new EventViews.Overview(byStatus, oldestDue, outboxBacklog, outboxFailed);
        }
    }

    /** When the latest event was received; null before the first. The receipt time's index answers it at once. */
    public Instant lastReceivedAt() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT MAX(received_at) FROM inbox_event");
             ResultSet row = query.executeQuery()) {
            row.next();
            Timestamp at = row.getTimestamp(1);
            return at == null ? null : at.toInstant();
        }
    }

    /**
     * Events received per hour since {@code since}, by their status now, oldest hour first: from the counts the
     * database keeps per hour ({@link InboxStatusCounts#receivedPerHour}), so a view costs the same whatever the
     * day's volume. Reaches back {@link InboxStatusCounts#HOURS_KEPT} at most.
     */
    public List<EventViews.HourCount> receivedPerHour(Instant since) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return InboxStatusCounts.receivedPerHour(connection, since).entrySet().stream()
                    .map(hour -> new EventViews.HourCount(hour.getKey(), hour.getValue())).toList();
        }
    }

    /** One event with its body, every attempt and every manual action on it. */
    public Optional<Detail> detail(String eventId) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            Detail detail;
            try (PreparedStatement query = prepare(connection, "SELECT " + SUMMARY_COLUMNS
                    + ", api_version, account_id, last_delivered_at, payload, event_line, payload_removed_at,"
                    + " payload_sha256"
                    + " FROM inbox_event WHERE event_id = ?",
                    List.of(eventId))) {
                try (ResultSet row = query.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    byte[] payload = row.getBytes("payload");
                    List<Summary> summed = summedUp(connection, List.of(new Listed(summary(row), payload,
                            row.getString("event_line"))));
                    detail = new Detail(summed.get(0), row.getString("api_version"), row.getBoolean("livemode"),
                            row.getString("account_id"), instant(row, "last_delivered_at"),
                            payload == null ? null : new String(payload, StandardCharsets.UTF_8),
                            instant(row, "payload_removed_at"), hex(row.getBytes("payload_sha256")),
                            attempts(connection, eventId), actions(connection, eventId));
                }
            }
            return Optional.of(detail);
        }
    }

    private static List<Attempt> attempts(Connection connection, String eventId) throws SQLException {
        List<Attempt> attempts = new ArrayList<>();
        try (PreparedStatement query = prepare(connection, """
                SELECT attempt_no, node_id, started_at, finished_at, outcome, error_class, error_message, stack_trace,
                       details_removed_at
                FROM event_attempt WHERE event_id = ? ORDER BY attempt_no, attempt_id""", List.of(eventId))) {
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    attempts.add(new Attempt(row.getInt(1), row.getString(2), instant(row, "started_at"),
                            instant(row, "finished_at"), row.getString(5), row.getString(6), row.getString(7),
                            row.getString(8), instant(row, "details_removed_at")));
                }
            }
        }
        return attempts;
    }

    private static List<Action> actions(Connection connection, String eventId) throws SQLException {
        List<Action> actions = new ArrayList<>();
        try (PreparedStatement query = prepare(connection, """
                SELECT at, actor, action, before_value, after_value, reason FROM audit_log
                WHERE target_type = 'event' AND target_id = ? ORDER BY at, audit_id""", List.of(eventId))) {
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    actions.add(new Action(instant(row, "at"), row.getString(2), row.getString(3), row.getString(4),
                            row.getString(5), row.getString(6)));
                }
            }
        }
        return actions;
    }

    private static Summary summary(ResultSet row) throws SQLException {
        return new Summary(row.getString("event_id"), row.getString("event_type"), row.getString("status"),
                row.getString("status_reason"), row.getString("tenant_id"), row.getString("object_type"),
                row.getString("object_id"), row.getString("customer_id"), instant(row, "stripe_created"),
                instant(row, "received_at"), row.getInt("delivery_count"), row.getInt("attempt_count"),
                instant(row, "due_at"), row.getBoolean("livemode"), null);
    }

    private static Listed listed(ResultSet row) throws SQLException {
        return new Listed(summary(row), row.getBytes("payload"), row.getString("event_line"));
    }

    /**
     * The rows with their lines: each body parsed once, the payments of their refunds and disputes named by one
     * statement for all.
     */
    private static List<Summary> summedUp(Connection connection, List<Listed> listed) throws SQLException {
        List<String> lines = EventSummaries.of(listed.stream().map(l -> l.row().stored(l.body(), l.line())).toList(),
                ids -> PaymentNames.of(connection, ids));
        List<Summary> rows = new ArrayList<>(listed.size());
        for (int i = 0; i < listed.size(); i++) {
            rows.add(listed.get(i).row().withSummary(lines.get(i)));
        }
        return rows;
    }

    private static void add(StringBuilder where, List<Object> parameters, String condition, Object value) {
        if (value != null && !(value instanceof String text && text.isBlank())) {
            where.append(" AND ").append(condition);
            parameters.add(value);
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, List<?> parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
        return statement;
    }

    private static String hex(byte[] bytes) {
        return bytes == null ? null : HexFormat.of().formatHex(bytes);
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp at = row.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }
}
