package io.billing.admin;

import io.billing.connector.StoreOrderChecks;
import io.billing.processing.operator.EventViews;
import io.billing.processing.operator.FailureGroups;
import io.billing.processing.operator.OutboxOperations;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything that failed, in one place: events failing now, retrying or dead, grouped by cause (a group retried
 * at once after a preview of how many events it queues), dead-lettered events (retry a selection, or all of a
 * type since a time), outbox messages that failed for good, and open reconciliation exceptions (store order not
 * found, amount or currency mismatch: retry the lookup or resolve by hand). Admins act, with a reason; audited.
 */
@Named
@ViewScoped
public class FailuresBean implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    AdminFacade facade;

    @Inject
    FailuresReads reads;

    @Inject
    AdminCaller caller;

    @Inject
    Times times;

    private List<EventViews.Summary> selected = new ArrayList<>();
    /** The group whose retry waits for confirmation, and how many events it would queue. */
    private FailureGroups.Group pendingGroup;
    private int pendingCount;
    private String reason;
    private String type;
    /** Since when (UTC, as the date picker holds it) "retry all" takes failed events; null for all. */
    private LocalDateTime since;

    /** What is failing now, retrying or dead, grouped by cause; read once per request. */
    public List<FailureGroups.Group> getFailureGroups() throws SQLException {
        return reads.groups();
    }

    /** First step of a group's retry: shows how many events it will queue, and asks. */
    public void previewRetry(FailureGroups.Group group) throws SQLException {
        if (!caller.mayAct()) {
            return;
        }
        pendingGroup = group;
        pendingCount = facade.failureGroupSize(group.key());
    }

    public void confirmRetry() throws SQLException {
        if (!caller.mayAct() || pendingGroup == null) {
            return;
        }
        int requeued = facade.retryFailureGroup(pendingGroup.key(), caller.getName(), reasonOrDefault());
        AdminCaller.Messages.info(requeued + " event(s) of " + pendingGroup.eventType() + " queued again.");
        cancelRetry();
        reads.forget();
    }

    public void cancelRetry() {
        pendingGroup = null;
        pendingCount = 0;
    }

    /** A time as people say it: "3 min ago", "2 h ago", "4 days ago". */
    public String ago(Instant at) {
        return times.ago(at);
    }

    public FailureGroups.Group getPendingGroup() {
        return pendingGroup;
    }

    public int getPendingCount() {
        return pendingCount;
    }

    public List<EventViews.Summary> getFailedEvents() throws SQLException {
        return reads.failedEvents();
    }

    public List<OutboxOperations.MessageView> getFailedOutbox() throws SQLException {
        return reads.failedOutbox();
    }

    public List<StoreOrderChecks.StoreException> getStoreExceptions() throws SQLException {
        return reads.storeExceptions();
    }

    public void retrySelected() throws SQLException {
        if (!caller.mayAct()) {
            return;
        }
        int requeued = facade.retry(selected.stream().map(EventViews.Summary::eventId).toList(), caller.getName(), reason);
        AdminCaller.Messages.info(requeued + " event(s) queued again.");
        selected = new ArrayList<>();
        reads.forget();
    }

    public void retryAll() throws SQLException {
        if (!caller.mayAct()) {
            return;
        }
        int requeued = facade.retryFailed(type, AdminFormat.utc(since), caller.getName(), reason);
        AdminCaller.Messages.info(requeued + " failed event(s) queued again.");
        reads.forget();
    }

    public void retryOutbox(String key) throws SQLException {
        if (!caller.mayAct()) {
            return;
        }
        try {
            facade.retryOutbox(key, caller.getName(), reasonOrDefault());
            AdminCaller.Messages.info("Outbox message " + key + " will be sent again.");
            reads.forget();
        } catch (OutboxOperations.NotRetryableException | IllegalArgumentException e) {
            AdminCaller.Messages.error(e.getMessage());
        }
    }

    public void retryStoreCheck(String paymentKey) throws SQLException {
        if (caller.mayAct() && facade.retryStoreCheck(paymentKey, caller.getName(), reasonOrDefault())) {
            AdminCaller.Messages.info("The store order of " + paymentKey + " is looked up again.");
            reads.forget();
        }
    }

    public void resolveStoreCheck(String paymentKey) throws SQLException {
        if (!caller.mayAct()) {
            return;
        }
        if (reason == null || reason.isBlank()) {
            AdminCaller.Messages.error("Resolving by hand needs a reason.");
            return;
        }
        if (facade.resolveStoreCheck(paymentKey, caller.getName(), reason)) {
            AdminCaller.Messages.info(paymentKey + " is resolved by hand.");
            reads.forget();
        }
    }

    private String reasonOrDefault() {
        return reason == null || reason.isBlank() ? "retried from the failures page" : reason;
    }

    public List<EventViews.Summary> getSelected() {
        return selected;
    }

    public void setSelected(List<EventViews.Summary> selected) {
        this.selected = selected;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public LocalDateTime getSince() {
        return since;
    }

    public void setSince(LocalDateTime since) {
        this.since = since;
    }
}
