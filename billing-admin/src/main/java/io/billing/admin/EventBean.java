package io.billing.admin;

import io.billing.processing.operator.EventViews;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.sql.SQLException;

/** One event: envelope, raw JSON, attempts with errors and stacks, actions; retry or resolve it (admins). */
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

    public void retry() throws SQLException {
        if (!caller.mayAct()) {
            return;
        }
        if (facade.retry(id, caller.getName(), reason)) {
            AdminCaller.Messages.info("Event " + id + " is queued again.");
        } else if (detail != null && detail.payloadRemovedAt() != null) {
            AdminCaller.Messages.error("Event " + id + " cannot run again: its body was removed by data retention on "
                    + detail.payloadRemovedAt() + ".");
        } else {
            AdminCaller.Messages.error("Event " + id + " cannot be retried in its state.");
        }
        reason = null;
        load();
    }

    public void resolve() throws SQLException {
        if (!caller.mayAct()) {
            return;
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
        load();
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
