package io.billing.admin;

import io.billing.inbox.InboxStatistics;
import io.billing.processing.operator.EventViews;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.sql.SQLException;

/** The dashboard's figures: events by status, the oldest waiting event, what needs attention, the outbox. */
@Named
@RequestScoped
public class DashboardBean {

    @Inject
    AdminFacade facade;

    @Inject
    InboxStatistics inbox;

    private EventViews.Overview overview;

    @PostConstruct
    void load() {
        try {
            overview = facade.overview();
        } catch (SQLException e) {
            AdminCaller.Messages.error("The database did not answer: " + e.getMessage());
        }
    }

    /** Read through JPA, the intake's view of the inbox. */
    public long getStoredEvents() {
        return inbox.storedEventCount();
    }

    public EventViews.Overview getOverview() {
        return overview;
    }
}
