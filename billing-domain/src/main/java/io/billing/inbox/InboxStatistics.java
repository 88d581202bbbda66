package io.billing.inbox;

import io.billing.platform.persistence.DataAccess;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.SQLException;

/** Read-only figures about the inbox, for the admin and for operators. */
@ApplicationScoped
public class InboxStatistics {

    @Inject
    DataAccess data;

    /** Every event stored, from the counts the database keeps per status ({@link InboxStatusCounts}): no count. */
    public long storedEventCount() {
        try (Connection connection = data.dataSource().getConnection()) {
            return InboxStatusCounts.total(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("the inbox's counts could not be read", e);
        }
    }
}
