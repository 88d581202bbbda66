package io.billing.admin;

import io.billing.inbox.InboxStatus;
import io.billing.processing.operator.EventViews;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events list: filters on the server (status, type, tenant, created from/to, any id), ordered by the created
 * time, the type or the status either way round, one keyset page at a time. Everything is in the URL (the filter
 * form posts, then moves to the URL of what it asked for), so a view of the events can be bookmarked or sent to a
 * colleague and shows the same rows in any session; nothing is counted, so a page stays fast on millions of rows.
 */
@Named
@RequestScoped
public class EventsBean {

    static final int PAGE_SIZE = 50;
    static final String PAGE = "/admin/events.xhtml";

    @Inject
    AdminFacade facade;

    private String status;
    private String type;
    private String tenant;
    private String q;
    private String from;
    private String to;
    private String sort;
    private String dir;
    private String after;
    private String before;
    private EventViews.SortedSlice slice = new EventViews.SortedSlice(List.of(), null, null);

    public void load() {
        try {
            InboxStatus wanted = status == null || status.isBlank() ? null : InboxStatus.valueOf(status.trim());
            boolean forward = before == null || before.isBlank();
            EventViews.Cursor cursor = EventViews.Cursor.parse(forward ? after : before, order());
            slice = facade.eventPage(wanted, type, tenant, instant(from), instant(to), q, order(), isDescending(),
                    cursor, forward, PAGE_SIZE);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            AdminCaller.Messages.error("Not a valid filter: " + e.getMessage());
        } catch (SQLException e) {
            AdminCaller.Messages.databaseFailed(e);
        }
    }

    /** The filter form's button: the first page of what the form asks for, at its own URL. */
    public void search() {
        AdminLinks.redirect(AdminLinks.url(PAGE, parameters(sort, dir)));
    }

    private static Instant instant(String value) {
        return value == null || value.isBlank() ? null : Instant.parse(value.trim());
    }

    private EventViews.Order order() {
        return EventViews.Order.named(sort);
    }

    /** Newest first by default; a type or a status from A to Z. */
    public boolean isDescending() {
        return dir == null || dir.isBlank() ? order() == EventViews.Order.CREATED : "desc".equals(dir);
    }

    /** The rows, in the order asked for. */
    public List<EventViews.Summary> getRows() {
        return slice.events();
    }

    /** The URL of the next page with the same filters and order, or null on the last. */
    public String getNextUrl() {
        return slice.next() == null ? null : pageUrl("after", slice.next().token());
    }

    /** The URL of the page before with the same filters and order, or null on the first. */
    public String getPreviousUrl() {
        return slice.previous() == null ? null : pageUrl("before", slice.previous().token());
    }

    /** The first page with the same filters and order. */
    public String getFirstUrl() {
        return AdminLinks.url(PAGE, parameters(sort, dir));
    }

    /**
     * A column header's link: the list by that column from its start, the other way round where it is the order
     * already (see {@link #isDescending()} for where each starts).
     */
    public String sortUrl(String column) {
        EventViews.Order wanted = EventViews.Order.named(column);
        if (wanted == order()) {
            return AdminLinks.url(PAGE, parameters(column, isDescending() ? "asc" : "desc"));
        }
        return AdminLinks.url(PAGE, parameters(column, null));
    }

    /** The arrow a column header shows: ▼ greatest first, ▲ least first, none for the columns not ordering. */
    public String arrow(String column) {
        return EventViews.Order.named(column) != order() ? "" : isDescending() ? " ▼" : " ▲";
    }

    private Map<String, String> parameters(String sortBy, String direction) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("status", status);
        parameters.put("type", type);
        parameters.put("tenant", tenant);
        parameters.put("q", q);
        parameters.put("from", from);
        parameters.put("to", to);
        parameters.put("sort", sortBy == null || EventViews.Order.named(sortBy) == EventViews.Order.CREATED ? null
                : sortBy.trim().toLowerCase(java.util.Locale.ROOT));
        parameters.put("dir", direction);
        return parameters;
    }

    private String pageUrl(String direction, String token) {
        Map<String, String> parameters = parameters(sort, dir);
        parameters.put(direction, token);
        return AdminLinks.url(PAGE, parameters);
    }

    /** The created-from filter as the date picker holds it (UTC). */
    public LocalDateTime getFromDate() {
        return picked(from);
    }

    public void setFromDate(LocalDateTime at) {
        from = at == null ? null : AdminFormat.utc(at).toString();
    }

    /** The created-to filter (exclusive) as the date picker holds it (UTC). */
    public LocalDateTime getToDate() {
        return picked(to);
    }

    public void setToDate(LocalDateTime at) {
        to = at == null ? null : AdminFormat.utc(at).toString();
    }

    private static LocalDateTime picked(String value) {
        try {
            return AdminFormat.utc(instant(value));
        } catch (DateTimeParseException e) {
            return null; // load() says the filter is not valid
        }
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

    public String getSort() {
        return sort;
    }

    public void setSort(String sort) {
        this.sort = sort;
    }

    public String getDir() {
        return dir;
    }

    public void setDir(String dir) {
        this.dir = dir;
    }

    public String getAfter() {
        return after;
    }

    public void setAfter(String after) {
        this.after = after;
    }

    public String getBefore() {
        return before;
    }

    public void setBefore(String before) {
        this.before = before;
    }
}
