package io.billing.admin;

import io.billing.refusal.RefusalReasons;
import io.billing.refusal.RefusedDeliveries;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * The webhook's refused deliveries: how many per hour and reason over the last day, as a chart and in words, and the
 * latest refusals one by one (time, address, reason). What was sent is never kept, so it is never shown.
 */
@Named
@RequestScoped
public class RefusalsBean {

    /** How many of the latest refusals the page lists. */
    static final int SHOWN = 100;

    /** One reason's refusals over the day, in words and in its colour on the chart. */
    public record Reason(String code, String words, long count, String colour) {
    }

    /** A colour per reason, the same on every chart: the signature's failures in reds, the clocks' in oranges. */
    private static final Map<String, String> COLOURS = Map.ofEntries(
            Map.entry("signature_mismatch", "#c62828"),
            Map.entry("missing_signature", "#ad1457"),
            Map.entry("malformed_signature", "#6a1b9a"),
            Map.entry("timestamp_too_old", "#ef6c00"),
            Map.entry("timestamp_in_future", "#f9a825"),
            Map.entry("webhook_not_configured", "#283593"),
            Map.entry("payload_too_large", "#00838f"),
            Map.entry("unsupported_media_type", "#2e7d32"),
            Map.entry("unreadable_body", "#5d4037"),
            Map.entry("invalid_json", "#1565c0"),
            Map.entry("missing_field", "#0277bd"),
            Map.entry("invalid_field", "#4527a0"));
    private static final String OTHER_COLOUR = "#78909c";
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:00").withZone(ZoneOffset.UTC);

    @Inject
    AdminFacade facade;

    private RefusedDeliveries.Span day;
    private List<RefusedDeliveries.Refusal> latest = List.of();

    @PostConstruct
    void load() {
        try {
            day = facade.refusals(24);
            latest = facade.latestRefusals(SHOWN);
        } catch (SQLException e) {
            AdminCaller.Messages.databaseFailed(e);
        }
    }

    /** Refused in the last 24 hours, every one counted. */
    public long getTotal() {
        return day == null ? 0 : day.total();
    }

    /** The day's reasons, the most frequent first. */
    public List<Reason> getReasons() {
        return day == null ? List.of() : day.reasons().entrySet().stream().map(e -> new Reason(e.getKey(),
                RefusalReasons.describe(e.getKey()), e.getValue(), colour(e.getKey()))).toList();
    }

    /** The latest refusals kept, newest first. */
    public List<RefusedDeliveries.Refusal> getLatest() {
        return latest;
    }

    public int getShown() {
        return SHOWN;
    }

    /** The chart: every hour of the day, a stack per reason. */
    public String getChart() {
        if (day == null) {
            return ChartConfig.stackedBars(List.of(), List.of(), "hour refused (UTC)", "refused deliveries");
        }
        List<String> labels = day.hours().stream().map(h -> HOUR.format(h.hour())).toList();
        List<ChartConfig.Series> series = getReasons().stream().map(reason -> new ChartConfig.Series(reason.code(),
                reason.colour(), day.hours().stream().map(h -> h.count(reason.code())).toList())).toList();
        return ChartConfig.stackedBars(labels, series, "hour refused (UTC)", "refused deliveries");
    }

    private static String colour(String reason) {
        return COLOURS.getOrDefault(reason, OTHER_COLOUR);
    }
}
