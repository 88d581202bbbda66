package io.billing.staff;

import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.UnitOfWork;
import io.billing.testsupport.MutableClock;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Staff accounts on PostgreSQL, through the repository and the service the identity store and the admin use.
 * Staff accounts are not tenant data (staff work across every tenant), so no query here takes a tenant.
 */
class JpaStaffAccountRepositoryTest {

    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");

    private final TestDatabase database = TestDatabase.postgres();
    private final DataAccess data = database.dataAccess();
    private final MutableClock clock = new MutableClock(T0);
    private final StaffAccounts accounts = new StaffAccounts(data, clock);

    @AfterEach
    void drop() {
        database.close();
    }

    private <T> T read(Function<StaffAccountRepository, T> query) {
        return data.read(entityManager -> query.apply(new JpaStaffAccountRepository(entityManager)));
    }

    @Test
    void findsListsAndTellsWhetherThereIsAnyAccount() throws SQLException {
        assertFalse(read(StaffAccountRepository::any));
        data.inTransaction(unit -> {
            StaffAccountRepository repository = new JpaStaffAccountRepository(unit.entityManager());
            repository.add(new StaffAccount("zoe", "hash-z", StaffAccount.SUPPORT, T0));
            repository.add(new StaffAccount("adam", "hash-a", StaffAccount.ADMIN, T0));
            return null;
        });
        assertTrue(read(StaffAccountRepository::any));
        assertEquals(List.of("adam", "zoe"), read(r -> r.all().stream().map(StaffAccount::username).toList()));
        StaffAccount adam = read(r -> r.find("adam")).orElseThrow();
        assertEquals("hash-a", adam.passwordHash());
        assertEquals(StaffAccount.ADMIN, adam.role());
        assertTrue(adam.enabled());
        assertEquals(T0, adam.createdAt());
        assertTrue(read(r -> r.find("nobody")).isEmpty());
    }

    @Test
    void aTakenNameIsRefusedAlsoWhenTwoNodesCreateItAtOnce() throws Exception {
        assertTrue(accounts.create("admin", "hash-1", StaffAccount.ADMIN, "system", "first start"));
        assertFalse(accounts.create("admin", "hash-2", StaffAccount.ADMIN, "system", "first start"), "seen taken");

        // Another node creates the name after this creation found it free: the primary key decides.
        try (UnitOfWork other = data.begin()) {
            new JpaStaffAccountRepository(other.entityManager()).add(new StaffAccount("erin", "hash-e",
                    StaffAccount.SUPPORT, T0));
            other.flush();
            CompletableFuture<Boolean> creating = CompletableFuture.supplyAsync(() -> {
                try {
                    return accounts.create("erin", "hash-other", StaffAccount.ADMIN, "dana", "at once");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(200); // its insert waits on the other node's uncommitted row
            assertFalse(creating.isDone());
            other.commit();
            assertFalse(creating.get(10, TimeUnit.SECONDS), "refused, not an error");
        }
        assertEquals("hash-e", accounts.find("erin").orElseThrow().passwordHash());
        assertEquals(List.of("system | CREATE_STAFF_ACCOUNT | admin | admin"),
                database.rows("SELECT actor, action, target_id, after_value FROM audit_log"));
    }

    @Test
    void changesAreAuditedAndLeaveTheOtherColumnsAlone() throws SQLException {
        accounts.create("carol", "hash-1", StaffAccount.SUPPORT, "dana", "new colleague");
        clock.advance(Duration.ofMinutes(5));
        assertTrue(accounts.setPasswordHash("carol", "hash-2", "dana", "reset"));
        assertTrue(accounts.setEnabled("carol", false, "dana", "left"));
        accounts.recordLogin("carol");
        assertFalse(accounts.setEnabled("nobody", true, "dana", "typo"));

        assertEquals(new StaffAccounts.Account("carol", "hash-2", StaffAccount.SUPPORT, false, 2, true),
                accounts.find("carol").orElseThrow(), "a password change and the disabling each end the sessions");
        assertEquals(List.of(new StaffAccounts.StaffView("carol", StaffAccount.SUPPORT, false, true, T0,
                T0.plus(Duration.ofMinutes(5)))), accounts.list());
        assertEquals(List.of("CREATE_STAFF_ACCOUNT | carol | support | new colleague",
                        "CHANGE_STAFF_PASSWORD | carol | null | reset", "DISABLE_STAFF_ACCOUNT | carol | null | left"),
                database.rows("SELECT action, target_id, after_value, reason FROM audit_log ORDER BY audit_id"));
        assertThrows(IllegalArgumentException.class, () -> accounts.create("Bad Name", "h", StaffAccount.ADMIN, "d", "r"));
        assertThrows(IllegalArgumentException.class, () -> accounts.create("frank", "h", "root", "d", "r"));
    }

    @Test
    void aPasswordSomeoneElseChoseMustBeChangedAndOnlyItsOwnerClearsThat() throws SQLException {
        assertTrue(accounts.create("gina", "hash-1", StaffAccount.SUPPORT, "dana", "new colleague"));
        assertTrue(accounts.createWithOwnPassword("admin", "hash-a", StaffAccount.ADMIN, "system", "first start"));
        assertEquals(new StaffAccounts.Credentials(true, 0, true), accounts.credentials("gina").orElseThrow());
        assertEquals(new StaffAccounts.Credentials(true, 0, false), accounts.credentials("admin").orElseThrow());

        assertTrue(accounts.setPasswordHash("gina", "hash-2", "gina", "changed by its owner"));
        assertEquals(new StaffAccounts.Credentials(true, 1, false), accounts.credentials("gina").orElseThrow());
        assertTrue(accounts.setPasswordHash("gina", "hash-3", "dana", "forgotten"));
        assertEquals(new StaffAccounts.Credentials(true, 2, true), accounts.credentials("gina").orElseThrow());

        assertFalse(accounts.rehash("gina", "hash-2", "hash-2b"), "changed meanwhile: the newer password stays");
        assertTrue(accounts.rehash("gina", "hash-3", "hash-3b"));
        assertEquals(new StaffAccounts.Account("gina", "hash-3b", StaffAccount.SUPPORT, true, 2, true),
                accounts.find("gina").orElseThrow(), "the same password hashed anew: the sessions stay");
        assertTrue(accounts.credentials("nobody").isEmpty());
        assertEquals(List.of("CREATE_STAFF_ACCOUNT | gina | dana", "CREATE_STAFF_ACCOUNT | admin | system",
                        "CHANGE_STAFF_PASSWORD | gina | gina", "CHANGE_STAFF_PASSWORD | gina | dana"),
                database.rows("SELECT action, target_id, actor FROM audit_log ORDER BY audit_id"));
    }
}
