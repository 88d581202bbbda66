package io.billing.inbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** Read-only figures about the inbox, for the admin and for operators. */
@ApplicationScoped
public class InboxStatistics {

    @PersistenceContext(unitName = "billing")
    EntityManager entityManager;

    public long storedEventCount() {
        return entityManager.createQuery("SELECT COUNT(e) FROM InboxEvent e", Long.class).getSingleResult();
    }
}
