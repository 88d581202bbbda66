package io.billing.admin;

import io.billing.connector.StoreOrderChecks;
import io.billing.inbox.InboxStatus;
import io.billing.processing.operator.EventViews;
import io.billing.processing.operator.FailureGroups;
import io.billing.processing.operator.OutboxOperations;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.util.List;

/**
 * What the failures page reads, once per request. Faces evaluates a table's value more than once while it decodes
 * and renders a request (the tables with a selection or row actions twice on every view), and each evaluation would
 * read the database again: the dead-lettered events with their bodies, the outbox, the store exceptions. Request
 * scoped, so that each request reads anew; an action that changes what the page shows calls {@link #forget()}.
 */
@RequestScoped
public class FailuresReads {

    /** How many rows each of the page's lists shows at most. */
    static final int SHOWN = 200;

    @Inject
    AdminFacade facade;

    private List<FailureGroups.Group> groups;
    private List<EventViews.Summary> failedEvents;
    private List<OutboxOperations.MessageView> failedOutbox;
    private List<StoreOrderChecks.StoreException> storeExceptions;

    /** What is failing now, retrying or dead, grouped by cause. */
    public List<FailureGroups.Group> groups() throws SQLException {
        if (groups == null) {
            groups = facade.failureGroups();
        }
        return groups;
    }

    /** The latest dead-lettered events. */
    public List<EventViews.Summary> failedEvents() throws SQLException {
        if (failedEvents == null) {
            failedEvents = facade.eventSlice(InboxStatus.FAILED, null, null, null, null, null, null, true, SHOWN)
                    .events();
        }
        return failedEvents;
    }

    /** The outbox messages that failed for good. */
    public List<OutboxOperations.MessageView> failedOutbox() throws SQLException {
        if (failedOutbox == null) {
            failedOutbox = facade.failedOutbox(SHOWN);
        }
        return failedOutbox;
    }

    /** The open reconciliation exceptions. */
    public List<StoreOrderChecks.StoreException> storeExceptions() throws SQLException {
        if (storeExceptions == null) {
            storeExceptions = facade.storeExceptions(SHOWN);
        }
        return storeExceptions;
    }

    /** After an action: the page shows what the database holds now. */
    public void forget() {
        groups = null;
        failedEvents = null;
        failedOutbox = null;
        storeExceptions = null;
    }
}
