package io.billing.inbox;

import io.billing.platform.persistence.DataAccess;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Read-only figures about the inbox, for the admin and for operators. */
@ApplicationScoped
public class InboxStatistics {

    @Inject
    DataAccess data;

    public long storedEventCount() {
        return data.read(entityManager ->
                entityManager.createQuery("SELECT COUNT(e) FROM InboxEvent e", Long.class).getSingleResult());
    }
}
