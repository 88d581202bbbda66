package io.billing.stripe.objects;

import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The snapshot guard on both databases (one conditional upsert on PostgreSQL, insert, lock and compare on the
 * embedded one): a snapshot replaces the kept one only if it is newer by {@link SnapshotVersion}'s rule, and the
 * guard answers what it did.
 */
class VersionedUpsertTest {

    private static final Instant SECOND = Instant.parse("2026-11-30T10:00:00Z");
    private static final VersionedUpsert.SnapshotTable TABLE = new VersionedUpsert.SnapshotTable("stripe_object",
            "object_id", List.of("object_type", "tenant_id", "deleted", "livemode"),
            List.of("status", "version_created", "version_rank", "version_event_id", "version_type"));

    private static TestDatabase postgres;
    private static TestDatabase h2;

    @BeforeAll
    static void databases() throws SQLException {
        postgres = TestDatabase.postgres();
        h2 = TestDatabase.h2();
        // The ids compare byte by byte whatever the column's collation: under a language's rules (ICU's English,
        // where PostgreSQL has it) evt_a would sort before evt_B, under Java's and the guard's after it.
        if (!postgres.rows("SELECT collname FROM pg_collation WHERE collname = 'en-x-icu'").isEmpty()) {
            postgres.execute("ALTER TABLE stripe_object ALTER COLUMN version_event_id TYPE VARCHAR(255)"
                    + " COLLATE \"en-x-icu\"");
        }
    }

    @AfterAll
    static void close() {
        postgres.close();
        h2.close();
    }

    private static TestDatabase database(boolean onPostgres) {
        return onPostgres ? postgres : h2;
    }

    /** Applies one snapshot of invoice {@code id} in its own transaction. */
    private static VersionedUpsert.Result apply(boolean onPostgres, String id, String status, Instant created,
                                                String eventType, String eventId) throws SQLException {
        SnapshotVersion version = new SnapshotVersion(created, SnapshotVersion.rank("invoice", status, eventType),
                eventId);
        try (Connection connection = database(onPostgres).dataSource().getConnection()) {
            connection.setAutoCommit(false);
            VersionedUpsert.Result result = VersionedUpsert.apply(connection, TABLE, id, version,
                    insert -> {
                        insert.setString(1, id);
                        insert.setString(2, "invoice");
                        insert.setString(3, "tenant_t");
                        insert.setBoolean(4, false);
                        insert.setBoolean(5, false);
                        bindState(insert, 6, status, version, eventType);
                    },
                    update -> update.setString(bindState(update, 1, status, version, eventType), id));
            connection.commit();
            return result;
        }
    }

    private static int bindState(PreparedStatement statement, int at, String status, SnapshotVersion version,
                                 String eventType) throws SQLException {
        statement.setString(at, status);
        statement.setTimestamp(at + 1, Timestamp.from(version.created()));
        statement.setInt(at + 2, version.rank());
        statement.setString(at + 3, version.eventId());
        statement.setString(at + 4, eventType);
        return at + 5;
    }

    private static String kept(boolean onPostgres, String id) throws SQLException {
        return String.join("|", database(onPostgres).rows("SELECT status || ' ' || version_event_id FROM stripe_object"
                + " WHERE object_id = '" + id + "'"));
    }

    private static String newId() {
        return "in_" + UUID.randomUUID().toString().replace("-", "");
    }

    @ParameterizedTest(name = "on PostgreSQL: {0}")
    @ValueSource(booleans = {true, false})
    void aNewObjectIsInsertedANewerSnapshotReplacesItAndAnOlderOneChangesNothing(boolean onPostgres)
            throws SQLException {
        String id = newId();
        assertEquals(VersionedUpsert.Result.INSERTED,
                apply(onPostgres, id, "open", SECOND, "invoice.finalized", "evt_2"));
        assertEquals(VersionedUpsert.Result.UPDATED,
                apply(onPostgres, id, "paid", SECOND.plusSeconds(1), "invoice.paid", "evt_3"));
        assertEquals(VersionedUpsert.Result.STALE,
                apply(onPostgres, id, "draft", SECOND.minusSeconds(1), "invoice.created", "evt_1"));
        assertEquals(VersionedUpsert.Result.STALE,
                apply(onPostgres, id, "paid", SECOND.plusSeconds(1), "invoice.paid", "evt_3"),
                "the same delivery again");
        assertEquals("paid evt_3", kept(onPostgres, id));
    }

    @ParameterizedTest(name = "on PostgreSQL: {0}")
    @ValueSource(booleans = {true, false})
    void withinOneSecondTheStatusFurtherAlongWinsWhateverTheOrder(boolean onPostgres) throws SQLException {
        String first = newId();
        apply(onPostgres, first, "open", SECOND, "invoice.finalized", "evt_z");
        assertEquals(VersionedUpsert.Result.UPDATED, apply(onPostgres, first, "paid", SECOND, "invoice.paid", "evt_a"));
        String second = newId();
        apply(onPostgres, second, "paid", SECOND, "invoice.paid", "evt_a");
        assertEquals(VersionedUpsert.Result.STALE,
                apply(onPostgres, second, "open", SECOND, "invoice.finalized", "evt_z"));
        assertEquals("paid evt_a", kept(onPostgres, first));
        assertEquals("paid evt_a", kept(onPostgres, second));
    }

    @ParameterizedTest(name = "on PostgreSQL: {0}")
    @ValueSource(booleans = {true, false})
    void withinOneSecondAndStatusTheGreaterEventIdInJavasOrderWinsWhateverTheOrder(boolean onPostgres)
            throws SQLException {
        // "evt_a" > "evt_B" for String.compareTo ('a' is 97, 'B' 66), as for SnapshotVersion.
        String first = newId();
        apply(onPostgres, first, "paid", SECOND, "invoice.paid", "evt_B");
        assertEquals(VersionedUpsert.Result.UPDATED, apply(onPostgres, first, "paid", SECOND, "invoice.paid", "evt_a"));
        String second = newId();
        apply(onPostgres, second, "paid", SECOND, "invoice.paid", "evt_a");
        assertEquals(VersionedUpsert.Result.STALE, apply(onPostgres, second, "paid", SECOND, "invoice.paid", "evt_B"));
        assertEquals("paid evt_a", kept(onPostgres, first));
        assertEquals("paid evt_a", kept(onPostgres, second));
    }
}
