package io.billing.processing.operator;

import io.billing.inbox.InboxStatus;
import io.billing.platform.persistence.Transactions;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The events that need attention, grouped by what went wrong: those that failed and wait for their next retry,
 * beside the dead-lettered ones. An event that fails keeps retrying for hours before it is dead-lettered; grouped
 * by its type and the pattern of its error (ids and numbers taken out), the same broken handler or receiver shows
 * up as one line with its count and time span the first time it fails, not as hundreds of rows two days later.
 *
 * <p>The events read are the {@value #SCAN_LIMIT} most recently failed (served by the status index); a group's
 * retry queues the group's events among them again, through {@link EventOperations#retry}, audited per event.
 */
public final class FailureGroups {

    /** How many failing events are read at most to form the groups. */
    public static final int SCAN_LIMIT = 10_000;

    /**
     * One cause of failure.
     *
     * @param key        what names the group for a retry: the type and the pattern
     * @param cause      the error's pattern: ids and numbers replaced
     * @param retrying   events that failed and wait for their next attempt
     * @param dead       events dead-lettered
     * @param firstAt    the earliest last failure among them
     * @param lastAt     the latest
     * @param example    one of its events (the latest), to open
     * @param exampleWhy that event's error as it is
     */
    public record Group(String key, String eventType, String cause, int retrying, int dead, Instant firstAt,
                        Instant lastAt, String example, String exampleWhy) implements Serializable {

        public int events() {
            return retrying + dead;
        }
    }

    /** An event that needs attention: failed and retrying (it has failed in this retry cycle), or dead. */
    private static final String FAILING_SQL = """
            SELECT event_id, event_type, status, status_reason, status_changed_at FROM inbox_event
            WHERE status IN ('FAILED', 'RETRY_SCHEDULED') AND (status = 'FAILED' OR cycle_attempts > 0)
            ORDER BY status_changed_at DESC, event_id
            LIMIT ?""";

    /**
     * Stripe-style ids ({@code evt_1Pq…}, {@code sub_A1}: a lower-case prefix and a suffix with a digit or a capital,
     * so that names such as {@code tenant_id} stay), UUIDs and long hex tokens; then any number.
     */
    private static final Pattern IDS = Pattern.compile("\\b[a-z]{1,8}_(?=[A-Za-z0-9]*[0-9A-Z])[A-Za-z0-9]+\\b"
            + "|\\b[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}\\b|\\b[0-9a-f]{16,}\\b");
    private static final Pattern NUMBERS = Pattern.compile("\\d+");
    private static final int CAUSE_LENGTH = 160;

    private final DataSource dataSource;
    private final EventOperations operations;

    public FailureGroups(DataSource dataSource, EventOperations operations) {
        this.dataSource = dataSource;
        this.operations = operations;
    }

    /** The groups, the most events first (then the latest failure first). */
    public List<Group> current() throws SQLException {
        Map<String, List<Failing>> byKey = new LinkedHashMap<>();
        for (Failing event : failing()) {
            byKey.computeIfAbsent(event.key(), k -> new ArrayList<>()).add(event);
        }
        List<Group> groups = new ArrayList<>();
        for (Map.Entry<String, List<Failing>> entry : byKey.entrySet()) {
            List<Failing> events = entry.getValue();
            Failing latest = events.get(0);
            int dead = (int) events.stream().filter(e -> e.status() == InboxStatus.FAILED).count();
            Instant first = events.get(events.size() - 1).at();
            groups.add(new Group(entry.getKey(), latest.type(), latest.cause(), events.size() - dead, dead, first,
                    latest.at(), latest.eventId(), latest.reason()));
        }
        groups.sort(Comparator.comparingInt(Group::events).reversed()
                .thenComparing(Group::lastAt, Comparator.nullsLast(Comparator.reverseOrder())));
        return groups;
    }

    /** The ids of a group's events now: what its retry would queue. */
    public List<String> eventIds(String groupKey) throws SQLException {
        return failing().stream().filter(e -> e.key().equals(groupKey)).map(Failing::eventId).toList();
    }

    /** Queues a group's events again; returns how many were queued. */
    public int retry(String groupKey, String actor, String reason) throws SQLException {
        return operations.retry(eventIds(groupKey), actor, reason);
    }

    /** The pattern of an error: ids and numbers taken out, so that the same failure of other events matches. */
    public static String causeOf(String reason) {
        if (reason == null || reason.isBlank()) {
            return "(no error recorded)";
        }
        String pattern = NUMBERS.matcher(IDS.matcher(reason).replaceAll("…")).replaceAll("#");
        pattern = pattern.replaceAll("\\s+", " ").trim();
        return pattern.length() <= CAUSE_LENGTH ? pattern : pattern.substring(0, CAUSE_LENGTH) + "…";
    }

    private record Failing(String eventId, String type, InboxStatus status, String reason, Instant at) {
        String cause() {
            return causeOf(reason);
        }

        String key() {
            return type + " | " + cause().toLowerCase(Locale.ROOT);
        }
    }

    private List<Failing> failing() throws SQLException {
        return Transactions.inTransaction(dataSource, connection -> {
            List<Failing> events = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(FAILING_SQL)) {
                select.setInt(1, SCAN_LIMIT);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        Timestamp at = rows.getTimestamp("status_changed_at");
                        events.add(new Failing(rows.getString("event_id"), rows.getString("event_type"),
                                InboxStatus.valueOf(rows.getString("status")), rows.getString("status_reason"),
                                at == null ? null : at.toInstant()));
                    }
                }
            }
            return events;
        });
    }
}
