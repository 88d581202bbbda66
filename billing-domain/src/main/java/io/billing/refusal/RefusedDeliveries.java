package io.billing.refusal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * What the webhook refused, as operators read it: the latest refusals and the counts per hour and reason that
 * {@link RefusalLog} wrote, every node's added up.
 */
public final class RefusedDeliveries {

    /** The most refusals one read returns. */
    public static final int MAX_LIMIT = 500;

    /** One refused delivery. */
    public record Refusal(Instant refusedAt, String remoteAddress, String reason) {
        /** The reason in plain words. */
        public String description() {
            return RefusalReasons.describe(reason);
        }
    }

    /** One hour's refusals by reason (only reasons with refusals). */
    public record Hour(Instant hour, Map<String, Long> byReason) {
        public long total() {
            return byReason.values().stream().mapToLong(Long::longValue).sum();
        }

        public long count(String reason) {
            return byReason.getOrDefault(reason, 0L);
        }
    }

    /**
     * Refusals per hour over a span of hours.
     *
     * @param hours   every hour of the span, oldest first, those without refusals too
     * @param reasons every reason of the span with its count, the most frequent first
     */
    public record Span(List<Hour> hours, Map<String, Long> reasons) {
        public long total() {
            return reasons.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static final String PER_HOUR = """
            SELECT hour_start, reason, SUM(refusals) FROM webhook_refusal_hour
            WHERE hour_start >= ? AND hour_start <= ? GROUP BY hour_start, reason""";
    private static final String LATEST = """
            SELECT refused_at, remote_address, reason FROM webhook_refusal ORDER BY refusal_id DESC LIMIT ?""";

    private final DataSource dataSource;
    private final Clock clock;

    public RefusedDeliveries(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** The last {@code hours} hours, the current one included, by the clock. */
    public Span lastHours(int hours) throws SQLException {
        if (hours < 1 || hours > 24 * 31) {
            throw new IllegalArgumentException("hours must be 1 to " + 24 * 31);
        }
        Instant current = clock.instant().truncatedTo(ChronoUnit.HOURS);
        return span(current.minus(Duration.ofHours(hours - 1L)), current);
    }

    /** Every hour from {@code from}'s to {@code to}'s, both included. */
    public Span span(Instant from, Instant to) throws SQLException {
        Instant first = from.truncatedTo(ChronoUnit.HOURS);
        Instant last = to.truncatedTo(ChronoUnit.HOURS);
        Map<Instant, Map<String, Long>> hours = new TreeMap<>();
        for (Instant hour = first; !hour.isAfter(last); hour = hour.plus(Duration.ofHours(1))) {
            hours.put(hour, new TreeMap<>());
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(PER_HOUR)) {
            query.setTimestamp(1, Timestamp.from(first));
            query.setTimestamp(2, Timestamp.from(last));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    hours.computeIfAbsent(rows.getTimestamp(1).toInstant(), h -> new TreeMap<>())
                            .merge(rows.getString(2), rows.getLong(3), Long::sum);
                }
            }
        }
        List<Hour> perHour = new ArrayList<>(hours.size());
        Map<String, Long> totals = new TreeMap<>();
        hours.forEach((hour, byReason) -> {
            perHour.add(new Hour(hour, Collections.unmodifiableMap(byReason)));
            byReason.forEach((reason, count) -> totals.merge(reason, count, Long::sum));
        });
        Map<String, Long> mostFirst = new LinkedHashMap<>();
        totals.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(entry -> mostFirst.put(entry.getKey(), entry.getValue()));
        return new Span(List.copyOf(perHour), Collections.unmodifiableMap(mostFirst));
    }

    /** The latest refusals kept, newest first. */
    public List<Refusal> latest(int limit) throws SQLException {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT);
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(LATEST)) {
            query.setInt(1, limit);
            try (ResultSet rows = query.executeQuery()) {
                List<Refusal> latest = new ArrayList<>();
                while (rows.next()) {
                    latest.add(new Refusal(rows.getTimestamp(1).toInstant(), rows.getString(2), rows.getString(3)));
                }
                return latest;
            }
        }
    }
}
