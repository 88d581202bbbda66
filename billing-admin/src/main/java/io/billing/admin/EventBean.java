package io.billing.admin;

import io.billing.inbox.InboxStatus;
import io.billing.processing.operator.EventOperations;
import io.billing.processing.operator.EventViews;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/**
 * One event: envelope, raw JSON, attempts with errors and stacks (folded), actions; retry or resolve it (admins),
 * where its status allows. After an action the page loads again at the event's own address, so that it can be
 * reloaded, bookmarked and shared.
 */
@Named
@ViewScoped
public class EventBean implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    AdminFacade facade;

    @Inject
    AdminCaller caller;

    private String id;
    private String reason;
    private EventViews.Detail detail;

    public void load() {
        try {
            detail = id == null ? null : facade.event(id.trim()).orElse(null);
            if (detail == null) {
                AdminCaller.Messages.error("No event " + id + ".");
            }
        } catch (SQLException e) {
            AdminCaller.Messages.databaseFailed(e);
        }
    }

    public String retry() throws SQLException {
        if (!caller.mayAct()) {
            return null;
        }
        if (facade.retry(id, caller.getName(), reason)) {
            AdminCaller.Messages.info("Event " + id + " is queued again.");
        } else if (detail != null && detail.payloadRemovedAt() != null) {
            AdminCaller.Messages.error("Event " + id + " cannot run again: its body was removed by data retention on "
                    + detail.payloadRemovedAt() + ".");
        } else {
            AdminCaller.Messages.error("Event " + id + " cannot be retried in its state.");
        }
        return reloaded();
    }

    public String resolve() throws SQLException {
        if (!caller.mayAct()) {
            return null;
        }
        try {
            if (facade.resolve(id, caller.getName(), reason)) {
                AdminCaller.Messages.info("Event " + id + " is resolved by hand.");
            } else {
                AdminCaller.Messages.error("Event " + id + " cannot be resolved in its state.");
            }
        } catch (IllegalArgumentException e) {
            AdminCaller.Messages.error(e.getMessage());
        }
        return reloaded();
    }

    /** The event's own page again, by a redirect that keeps its id in the address and the messages shown. */
    private String reloaded() {
        AdminCaller.Messages.keepForRedirect();
        return "/admin/event?faces-redirect=true&id=" + URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    /** Whether a retry applies to the event as it is: not finished, and its body still kept. */
    public boolean isRetryable() {
        return detail != null && detail.payloadRemovedAt() == null
                && EventOperations.RETRYABLE.contains(InboxStatus.valueOf(detail.summary().status()));
    }

    /** Whether it may be closed by hand as it is. */
    public boolean isResolvable() {
        return detail != null && EventOperations.RESOLVABLE.contains(InboxStatus.valueOf(detail.summary().status()));
    }

    /** A stack trace's first line, shown; {@link #rest} is folded under it. */
    public String first(String text) {
        int end = text == null ? -1 : text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    public String rest(String text) {
        int end = text == null ? -1 : text.indexOf('\n');
        return end < 0 ? "" : text.substring(end + 1);
    }

    public EventViews.Detail getDetail() {
        return detail;
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }
}
