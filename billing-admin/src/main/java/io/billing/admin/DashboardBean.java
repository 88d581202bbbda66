package io.billing.admin;

import io.billing.inbox.InboxStatistics;
import io.billing.processing.operator.EventViews;
import io.billing.processing.operator.FailureGroups;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.sql.SQLException;
import java.util.List;

/** The dashboard's figures: events by status, the oldest waiting event, what needs attention, the outbox. */
@Named
@RequestScoped
public class DashboardBean {

    @Inject
    AdminFacade facade;

    @Inject
    InboxStatistics inbox;

    private EventViews.Overview overview;
    private List<EventViews.HourCount> lastDay = List.of();
    private List<FailureGroups.Group> failing = List.of();

    @PostConstruct
    void load() {
        try {
            overview = facade.overview();
            lastDay = facade.lastDay();
            failing = facade.failureGroups();
        } catch (SQLException e) {
            AdminCaller.Messages.databaseFailed(e);
        }
    }

    /** Every event the inbox holds, from the counts the database keeps (no count of the inbox). */
    public long getStoredEvents() {
        return inbox.storedEventCount();
    }

    /** The last day's hours with events, oldest first: the chart's bars. */
    public List<EventViews.HourCount> getLastDay() {
        return lastDay;
    }

    /** A bar segment's height in pixels: the tallest hour is 120 px. */
    public long height(long count) {
        long max = lastDay.stream().mapToLong(EventViews.HourCount::total).max().orElse(1);
        return count == 0 ? 0 : Math.max(1, Math.round(120.0 * count / Math.max(1, max)));
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

    public EventViews.Overview getOverview() {
        return overview;
    }
}
