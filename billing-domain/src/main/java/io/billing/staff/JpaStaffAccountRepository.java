package io.billing.staff;

import jakarta.persistence.EntityManager;

import java.util.List;
import java.util.Optional;

/** The staff accounts on the persistence unit: by primary key, and the named queries of {@link StaffAccount}. */
public class JpaStaffAccountRepository implements StaffAccountRepository {

    private final EntityManager entityManager;

    public JpaStaffAccountRepository(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Override
    public Optional<StaffAccount> find(String username) {
        return Optional.ofNullable(entityManager.find(StaffAccount.class, username));
    }

    @Override
    public boolean any() {
        return !entityManager.createNamedQuery(StaffAccount.USERNAMES, String.class).setMaxResults(1).getResultList()
                .isEmpty();
    }

    @Override
    public List<StaffAccount> all() {
        return entityManager.createNamedQuery(StaffAccount.ALL, StaffAccount.class).getResultList();
    }

    @Override
    public void add(StaffAccount account) {
        entityManager.persist(account);
    }
}
