package io.billing.audit;

import io.billing.platform.persistence.DataAccess;
import io.billing.testsupport.TestDatabase;
import jakarta.persistence.Column;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit log on PostgreSQL: appended through the repository or by the JDBC services, searched newest first
 * and paged by id. The audit log is not tenant data (it has no tenant column; staff read all of it), so no
 * query here takes a tenant.
 */
class JpaAuditLogTest {

    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");

    private static AuditEntry entry(int second, String actor, String action, String targetId) {
        return new AuditEntry(T0.plusSeconds(second), actor, action, "customer", targetId, null, "tenant_acme",
                "reason " + second);
    }

    private static List<String> search(DataAccess data, String term, Long olderThan, int limit) {
        return data.read(entityManager -> new JpaAuditLog(entityManager).newestFirst(term, olderThan, limit).stream()
                .map(e -> e.actor() + " " + e.action() + " " + e.targetId()).toList());
    }

    @Test
    void searchesByActorActionOrTargetNewestFirstAPageAtATime() throws SQLException {
        try (TestDatabase database = TestDatabase.postgres()) {
            DataAccess data = database.dataAccess();
            data.inTransaction(unit -> {
                AuditLog log = new JpaAuditLog(unit.entityManager());
                log.append(entry(1, "bob", "MAPPING_ADDED", "cus_1"));
                log.append(entry(2, "carol", "MAPPING_CHANGED", "cus_1"));
                log.append(entry(3, "bob", "MAPPING_ADDED", "cus_2"));
                return null;
            });
            try (Connection connection = data.dataSource().getConnection()) {
                AuditLog.record(connection, T0.plusSeconds(4), "dave", "RETRY", "event", "evt_1", null, null, "outage");
            }

            assertEquals(List.of("dave RETRY evt_1", "bob MAPPING_ADDED cus_2", "carol MAPPING_CHANGED cus_1",
                    "bob MAPPING_ADDED cus_1"), search(data, null, null, 10));
            assertEquals(List.of("bob MAPPING_ADDED cus_2", "bob MAPPING_ADDED cus_1"), search(data, "bob", null, 10));
            assertEquals(List.of("bob MAPPING_ADDED cus_2", "bob MAPPING_ADDED cus_1"),
                    search(data, " mapping_added ", null, 10), "an action in any case, trimmed");
            assertEquals(List.of("carol MAPPING_CHANGED cus_1", "bob MAPPING_ADDED cus_1"), search(data, "cus_1", null, 10));
            assertEquals(List.of(), search(data, "nobody", null, 10));

            List<AuditEntry> first = data.read(entityManager -> new JpaAuditLog(entityManager).newestFirst(null, null, 2));
            assertEquals(List.of("carol MAPPING_CHANGED cus_1", "bob MAPPING_ADDED cus_1"),
                    search(data, null, first.get(1).id(), 2), "the page after the last id shown");
            assertEquals(List.of("bob MAPPING_ADDED cus_1"), search(data, "bob", first.get(1).id(), 10));

            AuditEntry read = data.read(entityManager -> new JpaAuditLog(entityManager).newestFirst("carol", null, 1))
                    .get(0);
            assertEquals(T0.plusSeconds(2), read.at());
            assertEquals("customer", read.targetType());
            assertEquals("tenant_acme", read.after());
            assertEquals("reason 2", read.reason());
        }
    }

    @Test
    void anEntryIsCompleteBoundedAndNeverUpdated() {
        assertThrows(IllegalArgumentException.class, () -> new AuditEntry(T0, " ", "RETRY", "event", "evt_1", null,
                null, null), "who");
        assertThrows(IllegalArgumentException.class, () -> new AuditEntry(T0, "bob", "RETRY", "event", null, null,
                null, null), "what it was done to");
        assertThrows(IllegalArgumentException.class, () -> new AuditEntry(T0, "bob", "RETRY", "event", "evt_1", null,
                null, "x".repeat(AuditEntry.MAX_TEXT + 1)), "longer than its column");
        List<Field> columns = Arrays.stream(AuditEntry.class.getDeclaredFields())
                .filter(field -> field.isAnnotationPresent(Column.class)).toList();
        assertEquals(9, columns.size());
        assertTrue(columns.stream().noneMatch(field -> field.getAnnotation(Column.class).updatable()),
                "no column is ever written by an update");
    }

    @Test
    void theEmbeddedDatabaseNumbersEntriesToo() throws SQLException {
        try (TestDatabase database = TestDatabase.h2()) {
            DataAccess data = database.dataAccess();
            data.inTransaction(unit -> {
                AuditLog log = new JpaAuditLog(unit.entityManager());
                log.append(entry(1, "bob", "MAPPING_ADDED", "cus_1"));
                log.append(entry(2, "bob", "MAPPING_CHANGED", "cus_1"));
                return null;
            });
            assertEquals(List.of("bob MAPPING_CHANGED cus_1", "bob MAPPING_ADDED cus_1"), search(data, "cus_1", null, 10));
            assertEquals(T0.plusSeconds(2), data.read(entityManager -> new JpaAuditLog(entityManager)
                    .newestFirst(null, null, 1)).get(0).at(), "the same instant back");
        }
    }
}
