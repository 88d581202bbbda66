package io.billing.admin;

import io.billing.inbox.InboxStatistics;
import io.billing.inbox.InboxStatus;
import io.billing.outbox.Outbox;
import io.billing.outbox.OutboxDispatcher;
import io.billing.processing.operator.EventViews;
import io.billing.processing.operator.FailureGroups;
import io.billing.refusal.RefusedDeliveries;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The dashboard's figures, in words and colour, each count a link to the list it counts: events by status, the
 * oldest waiting event, what needs attention, the outbox, the webhook's refusals; and the last day's events per hour
 * as a chart.
 */
@Named
@RequestScoped
public class DashboardBean {

    /**
     * How a figure reads: words for a status, and its tone when there are any ({@code bad} red, {@code warn} orange,
     * {@code wait} grey, {@code good} green; {@code quiet} for none, or for those that need nothing).
     */
    public record Figure(String key, String words, long count, String tone) {
    }

    /** The inbox's statuses in words, the ones that need someone first. */
    private static final List<Figure> STATUSES = List.of(
            new Figure(InboxStatus.FAILED.name(), "failed for good (dead letter)", 0, "bad"),
            new Figure(InboxStatus.RETRY_SCHEDULED.name(), "failed, waiting to retry", 0, "warn"),
            new Figure(InboxStatus.UNMAPPED.name(), "waiting for a tenant", 0, "warn"),
            new Figure(InboxStatus.RECEIVED.name(), "waiting to be processed", 0, "wait"),
            new Figure(InboxStatus.PROCESSING.name(), "being processed", 0, "wait"),
            new Figure(InboxStatus.PROCESSED.name(), "processed", 0, "good"),
            new Figure(InboxStatus.IGNORED.name(), "ignored (nothing to apply)", 0, "quiet"),
            new Figure(InboxStatus.RESOLVED.name(), "closed by hand", 0, "quiet"));

    /** The outbox's undelivered statuses in words. */
    private static final List<Figure> OUTBOX = List.of(
            new Figure(OutboxDispatcher.FAILED, "failed for good", 0, "bad"),
            new Figure(OutboxDispatcher.RETRY_SCHEDULED, "retrying after errors", 0, "warn"),
            new Figure(Outbox.PENDING, "waiting to be sent", 0, "wait"),
            new Figure(OutboxDispatcher.SENDING, "being sent", 0, "wait"));

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:00").withZone(ZoneOffset.UTC);

    @Inject
    AdminFacade facade;

    @Inject
    InboxStatistics inbox;

    private EventViews.Overview overview;
    private List<EventViews.HourCount> lastDay = List.of();
    private List<FailureGroups.Group> failing = List.of();
    private Map<String, Long> outbox = Map.of();
    private RefusedDeliveries.Span refusals;
    private Instant latestRefusalAt;
    private Instant lastReceivedAt;

    @PostConstruct
    void load() {
        try {
            overview = facade.overview();
            lastDay = facade.lastDay();
            failing = facade.failureGroups();
            outbox = facade.undeliveredOutbox();
            refusals = facade.refusals(24);
            latestRefusalAt = facade.latestRefusals(1).stream().findFirst().map(RefusedDeliveries.Refusal::refusedAt)
                    .orElse(null);
            lastReceivedAt = facade.lastReceivedAt();
        } catch (SQLException e) {
            AdminCaller.Messages.databaseFailed(e);
        }
    }

    /** Every event the inbox holds, from the counts the database keeps (no count of the inbox). */
    public long getStoredEvents() {
        return inbox.storedEventCount();
    }

    public Instant getLastReceivedAt() {
        return lastReceivedAt;
    }

    /** Every status with its count, in words; a count in the tone of its status when there are any. */
    public List<Figure> getStatuses() {
        return overview == null ? List.of() : counted(STATUSES, overview::count);
    }

    /** The outbox's messages not delivered: those failed for good always, the others when there are any. */
    public List<Figure> getOutbox() {
        return counted(OUTBOX, status -> outbox.getOrDefault(status, 0L)).stream()
                .filter(f -> f.count() > 0 || f.key().equals(OutboxDispatcher.FAILED)).toList();
    }

    private static List<Figure> counted(List<Figure> figures, ToLongFunction<String> count) {
        List<Figure> counted = new ArrayList<>(figures.size());
        for (Figure figure : figures) {
            long n = count.applyAsLong(figure.key());
            counted.add(new Figure(figure.key(), figure.words(), n, n > 0 ? figure.tone() : "quiet"));
        }
        return counted;
    }

    /** The last day's hours with events, oldest first: the figures under the chart. */
    public List<EventViews.HourCount> getLastDay() {
        return lastDay;
    }

    /** The chart of the last day: every hour, events received by what became of them, stacked. */
    public String getChart() {
        Map<Instant, EventViews.HourCount> byHour = new java.util.HashMap<>();
        lastDay.forEach(h -> byHour.put(h.hour(), h));
        List<String> labels = new ArrayList<>(24);
        List<EventViews.HourCount> hours = new ArrayList<>(24);
        Instant first = facade.firstOfLastDay();
        for (int i = 0; i < 24; i++) {
            Instant hour = first.plus(Duration.ofHours(i));
            labels.add(HOUR.format(hour));
            hours.add(byHour.getOrDefault(hour, new EventViews.HourCount(hour, Map.of())));
        }
        return ChartConfig.stackedBars(labels, List.of(
                series("processed or closed", "#4caf50", hours, "PROCESSED", "IGNORED", "RESOLVED"),
                series("waiting to be processed", "#90a4ae", hours, "RECEIVED", "PROCESSING"),
                series("failed, waiting to retry", "#ff9800", hours, "RETRY_SCHEDULED"),
                series("waiting for a tenant", "#fbc02d", hours, "UNMAPPED"),
                series("failed for good", "#e53935", hours, "FAILED")), "hour received (UTC)", "events");
    }

    private static ChartConfig.Series series(String label, String colour, List<EventViews.HourCount> hours,
                                             String... statuses) {
        return new ChartConfig.Series(label, colour, hours.stream()
                .map(h -> java.util.Arrays.stream(statuses).mapToLong(h::count).sum()).toList());
    }

    /** Events that failed and wait for a retry: they need attention before they are dead-lettered. */
    public int getRetrying() {
        return failing.stream().mapToInt(FailureGroups.Group::retrying).sum();
    }

    public int getDead() {
        return failing.stream().mapToInt(FailureGroups.Group::dead).sum();
    }

    /** How many different causes they fail for. */
    public int getCauses() {
        return failing.size();
    }

    /** Deliveries the webhook refused in the last 24 hours. */
    public long getRefusedLastDay() {
        return refusals == null ? 0 : refusals.total();
    }

    /** The latest refusal kept; null when none is. */
    public Instant getLatestRefusalAt() {
        return latestRefusalAt;
    }

    public EventViews.Overview getOverview() {
        return overview;
    }
}
