package io.billing.inbox;

import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * On PostgreSQL six of the inbox's indexes hold only the rows their queries read ({@code V77__inbox_partial_indexes}),
 * and one more the failing events in the order they failed ({@code V79__inbox_failing_index}):
 * each is partial, under its old name, and every query that reads it still plans on it, with its values bound as the
 * application binds them (the generic plan of a prepared statement, which may read a partial index only when the
 * statement's own conditions imply the index's predicate). The statements are the application's, as they reach the
 * database.
 */
class InboxPartialIndexesTest {

    private static TestDatabase database;

    @BeforeAll
    static void open() {
        database = TestDatabase.postgres();
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Test
    void sevenIndexesArePartialUnderTheirNamesAndTheOthersWhole() throws SQLException {
        Map<String, String> definitions = new LinkedHashMap<>();
        for (String row : database.rows("SELECT indexname, indexdef FROM pg_indexes"
                + " WHERE schemaname = current_schema() AND tablename = 'inbox_event' ORDER BY indexname")) {
            int bar = row.indexOf(" | ");
            definitions.put(row.substring(0, bar), row.substring(bar + 3));
        }
        assertEquals(List.of("ix_inbox_event_account", "ix_inbox_event_awaiting", "ix_inbox_event_created_id",
                "ix_inbox_event_customer", "ix_inbox_event_due", "ix_inbox_event_failing", "ix_inbox_event_object",
                "ix_inbox_event_payload_retention", "ix_inbox_event_received", "ix_inbox_event_status_created",
                "ix_inbox_event_tenant", "ix_inbox_event_type", "pk_inbox_event"), List.copyOf(definitions.keySet()),
                "the same indexes under the same names, none left under a temporary one");
        Map<String, List<String>> partial = Map.of(
                "ix_inbox_event_account", List.of("(account_id) WHERE (account_id IS NOT NULL)"),
                "ix_inbox_event_awaiting", List.of("(awaiting_id) WHERE (awaiting_id IS NOT NULL)"),
                "ix_inbox_event_tenant", List.of("(tenant_id, stripe_created) WHERE (tenant_id IS NOT NULL)"),
                "ix_inbox_event_customer", List.of("(customer_id, stripe_created) WHERE (customer_id IS NOT NULL)"),
                "ix_inbox_event_due", List.of("(due_at) WHERE (due_at IS NOT NULL)"),
                "ix_inbox_event_failing", List.of("(status_changed_at DESC, event_id) WHERE", "'FAILED'",
                        "'RETRY_SCHEDULED'"),
                "ix_inbox_event_payload_retention", List.of("(payload_removed_at, status, status_changed_at) WHERE",
                        "payload_removed_at IS NULL", "'PROCESSED'", "'IGNORED'"));
        definitions.forEach((name, definition) -> {
            if (partial.containsKey(name)) {
                for (String part : partial.get(name)) {
                    assertTrue(definition.contains(part), name + " has " + part + ": " + definition);
                }
            } else {
                assertFalse(definition.contains(" WHERE "), name + " stays whole: " + definition);
            }
        });
    }

    /**
     * Indexes an empty inbox's plan may prefer to the partial one, for a condition or an order the statement has
     * besides: set aside for the statement, so that its plan shows whether it can read the partial one.
     */
    private static final String STATUS = "ix_inbox_event_status_created";
    private static final String CREATED = "ix_inbox_event_created_id";

    static Stream<Arguments> queries() {
        String requeue = "UPDATE inbox_event SET status = 'RETRY_SCHEDULED', due_at = CURRENT_TIMESTAMP,"
                + " cycle_attempts = 0, status_reason = ?, status_changed_at = ?, lease_owner = NULL,"
                + " lease_token = NULL WHERE status = 'UNMAPPED'";
        String listed = "SELECT event_id, event_type, status, status_reason, tenant_id, object_type, object_id,"
                + " customer_id, stripe_created, received_at, delivery_count, attempt_count, due_at, livemode, payload"
                + " FROM inbox_event";
        return Stream.of(
                // InboxRequeue.parkedForAccount
                query("an account's parked events", requeue + " AND account_id = ?", "ix_inbox_event_account"),
                // InboxRequeue.parkedAwaiting, parkedNowResolvable
                query("the events awaiting an id", requeue + " AND awaiting_id = ?", "ix_inbox_event_awaiting"),
                query("the events awaiting anything that has arrived", requeue + " AND awaiting_id IS NOT NULL AND ("
                        + "EXISTS (SELECT 1 FROM tenant_mapping m WHERE m.customer_id = inbox_event.awaiting_id)"
                        + " OR EXISTS (SELECT 1 FROM stripe_object o WHERE o.object_id = inbox_event.awaiting_id))",
                        "ix_inbox_event_awaiting", STATUS),
                // EventQueries.list and slice, filtered by tenant
                query("a tenant's events, counted", "SELECT COUNT(*) FROM inbox_event WHERE 1 = 1 AND tenant_id = ?",
                        "ix_inbox_event_tenant"),
                query("a tenant's events, a page", listed + " WHERE 1 = 1 AND tenant_id = ?"
                        + " ORDER BY stripe_created DESC, event_id DESC LIMIT ?", "ix_inbox_event_tenant"),
                // InboxRequeue.parkedForCustomer, PaymentTrace (a customer), EventQueries.slice (a search)
                query("a customer's parked events", requeue + " AND customer_id = ?", "ix_inbox_event_customer"),
                query("a customer's events in a trace", "SELECT event_id, event_type, stripe_created, object_id,"
                        + " status, tenant_id, status_reason, payload_removed_at, object_type, payload FROM inbox_event"
                        + " WHERE customer_id = ? OR object_id = ? ORDER BY stripe_created, event_id LIMIT 500",
                        "ix_inbox_event_customer"),
                query("an id searched anywhere", listed + " WHERE 1 = 1 AND (event_id = ? OR object_id = ?"
                        + " OR customer_id = ?) ORDER BY stripe_created DESC, event_id DESC LIMIT ?",
                        "ix_inbox_event_customer", CREATED),
                // LeasedWorkQueue.claim (the engine's), EventQueries.OLDEST_DUE_SQL
                query("the engine's claim", "SELECT status, lease_owner, lease_claimed_at, event_id, event_type,"
                        + " api_version, livemode, account_id, stripe_created, object_type, object_id, customer_id,"
                        + " payload, received_at, attempt_count, cycle_attempts, assigned_tenant_id FROM inbox_event"
                        + " WHERE due_at <= ? ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED", "ix_inbox_event_due"),
                query("the oldest due time", "SELECT MIN(due_at) FROM inbox_event WHERE due_at IS NOT NULL",
                        "ix_inbox_event_due"),
                // DataRetention's DUE_PAYLOADS_SQL, once per settled status
                query("the processed events' bodies due", duePayloads("PROCESSED"), "ix_inbox_event_payload_retention"),
                query("the ignored events' bodies due", duePayloads("IGNORED"), "ix_inbox_event_payload_retention"),
                // EventOperations.rerunProcessed: the settled events of a type that still have their body, since a time
                query("a re-run of settled events", "SELECT event_id, status FROM inbox_event WHERE (1 = 1 AND"
                        + " event_type = ? AND received_at >= ?) AND payload_removed_at IS NULL AND status IN"
                        + " ('PROCESSED', 'IGNORED') ORDER BY event_id FOR UPDATE SKIP LOCKED",
                        "ix_inbox_event_payload_retention"),
                // FailureGroups.FAILING_SQL: the admin's failures page reads the latest failures and stops
                query("the latest failures", "SELECT event_id, event_type, status, status_reason, status_changed_at"
                        + " FROM inbox_event WHERE status IN ('FAILED', 'RETRY_SCHEDULED')"
                        + " AND (status = 'FAILED' OR cycle_attempts > 0) ORDER BY status_changed_at DESC, event_id"
                        + " LIMIT ?", "ix_inbox_event_failing", STATUS));
    }

    private static Arguments query(String query, String sql, String index, String... setAside) {
        return arguments(query, sql, index, List.of(setAside));
    }

    private static String duePayloads(String status) {
        return "SELECT event_id FROM inbox_event WHERE payload_removed_at IS NULL AND status = "
                + (status.equals("?") ? status : "'" + status + "'")
                + " AND status_changed_at < ? AND lease_owner IS NULL"
                + " ORDER BY payload_removed_at, status, status_changed_at LIMIT ? FOR UPDATE SKIP LOCKED";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void eachQueryIsPlannedOnItsPartialIndex(String query, String sql, String index, List<String> setAside)
            throws SQLException {
        String plan = database.genericPlan(sql, setAside.toArray(String[]::new));
        assertFalse(plan.contains("Seq Scan on inbox_event"), query + ":\n" + plan);
        assertTrue(plan.contains(index + " "), query + " on " + index + ":\n" + plan);
    }

    /** Why data retention writes the status in its statement: bound, it could be any status, outside the index. */
    @Test
    void aBoundStatusCouldNotReadTheRetentionsIndex() throws SQLException {
        String plan = database.genericPlan(duePayloads("?"));
        assertFalse(plan.contains("ix_inbox_event_payload_retention"), plan);
    }
}
