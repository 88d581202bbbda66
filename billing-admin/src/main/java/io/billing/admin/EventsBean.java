package io.billing.admin;

import io.billing.inbox.InboxStatus;
import io.billing.processing.operator.EventViews;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The events table: filters on the server (status, type, tenant, created from/to, any id), one keyset page
 * at a time, newest first, with links to the older and newer pages. Everything is in the URL, so a view of
 * the events can be bookmarked or sent to a colleague; nothing is counted, so a page stays fast on millions
 * of rows.
 */
@Named
@RequestScoped
public class EventsBean {

    static final int PAGE_SIZE = 50;

    @Inject
    AdminFacade facade;

    private String status;
    private String type;
    private String tenant;
    private String q;
    private String from;
    private String to;
    private String older;
    private String newer;
    private String order;
    private EventViews.Slice slice = new EventViews.Slice(List.of(), null, null);

    public void load() {
        try {
            InboxStatus wanted = status == null || status.isBlank() ? null : InboxStatus.valueOf(status);
            EventViews.Cursor cursor = EventViews.Cursor.parse(newer != null ? newer : older);
            boolean towardsOlder = newer == null && (older != null || !isOldestFirst());
            slice = facade.eventSlice(wanted, type, tenant, instant(from), instant(to), q, cursor, towardsOlder,
                    PAGE_SIZE);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            AdminCaller.Messages.error("Not a valid filter: " + e.getMessage());
        } catch (SQLException e) {
            AdminCaller.Messages.databaseFailed(e);
        }
    }

    private static Instant instant(String value) {
        return value == null || value.isBlank() ? null : Instant.parse(value.trim());
    }

    /** The URL of the next older page with the same filters, or null at the oldest. */
    public String getOlderUrl() {
        return slice.older() == null ? null : pageUrl("older", slice.older().token());
    }

    /** The URL of the next newer page with the same filters, or null at the newest. */
    public String getNewerUrl() {
        return slice.newer() == null ? null : pageUrl("newer", slice.newer().token());
    }

    /** The rows in the order asked for: newest first, or oldest first. */
    public List<EventViews.Summary> getRows() {
        if (!isOldestFirst()) {
            return slice.events();
        }
        List<EventViews.Summary> rows = new java.util.ArrayList<>(slice.events());
        java.util.Collections.reverse(rows);
        return rows;
    }

    public boolean isOldestFirst() {
        return "oldest".equals(order);
    }

    /** This view in the other order, from its start. */
    public String getReorderUrl() {
        StringBuilder url = new StringBuilder("events.xhtml?");
        filters(isOldestFirst() ? "newest" : "oldest").forEach((name, value) -> append(url, name, value));
        return url.substring(0, url.length() - 1);
    }

    private java.util.Map<String, String> filters(String sortOrder) {
        java.util.Map<String, String> parameters = new java.util.LinkedHashMap<>();
        parameters.put("status", status);
        parameters.put("type", type);
        parameters.put("tenant", tenant);
        parameters.put("q", q);
        parameters.put("from", from);
        parameters.put("to", to);
        parameters.put("order", sortOrder);
        return parameters;
    }

    private static void append(StringBuilder url, String name, String value) {
        if (value != null && !value.isBlank()) {
            url.append(name).append('=').append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8))
                    .append('&');
        }
    }

    private String pageUrl(String direction, String token) {
        StringBuilder url = new StringBuilder("events.xhtml?");
        java.util.Map<String, String> parameters = filters(order);
        parameters.put(direction, token);
        parameters.forEach((name, value) -> append(url, name, value));
        return url.substring(0, url.length() - 1);
    }

    public EventViews.Slice getSlice() {
        return slice;
    }

    public InboxStatus[] getStatuses() {
        return InboxStatus.values();
    }

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getTenant() {
        return tenant;
    }

    public void setTenant(String tenant) {
        this.tenant = tenant;
    }

    public String getQ() {
        return q;
    }

    public void setQ(String q) {
        this.q = q;
    }

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public String getTo() {
        return to;
    }

    public void setTo(String to) {
        this.to = to;
    }

    public String getOlder() {
        return older;
    }

    public void setOlder(String older) {
        this.older = older;
    }

    public String getOrder() {
        return order;
    }

    public void setOrder(String order) {
        this.order = order;
    }

    public String getNewer() {
        return newer;
    }

    public void setNewer(String newer) {
        this.newer = newer;
    }
}
