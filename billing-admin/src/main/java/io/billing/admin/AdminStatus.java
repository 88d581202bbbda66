package io.billing.admin;

import io.billing.inbox.InboxStatistics;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/** Backs the admin's placeholder page with one live figure, proving the fragment reaches the domain. */
@Named
@RequestScoped
public class AdminStatus {

    @Inject
    InboxStatistics inboxStatistics;

    public String getIntakeSummary() {
        return inboxStatistics.storedEventCount() + " event(s) stored";
    }
}
