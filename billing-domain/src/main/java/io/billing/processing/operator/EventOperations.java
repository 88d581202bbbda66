package io.billing.processing.operator;

import io.billing.audit.AuditLog;
import io.billing.inbox.InboxStatus;
import io.billing.platform.persistence.Transactions;
import io.billing.inbox.InboxRequeue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * What an operator may do to events by hand: retry, re-run, resolve. The admin UI and the operator REST
 * API both call this service. Every action locks the rows it changes (skipping any a worker holds at
 * that moment), re-queues them with a fresh retry cycle, and writes one audit row per event, in one
 * transaction.
 *
 * <p>Re-running a processed event is safe because handlers are idempotent: snapshots go through their
 * version guard and facts through their business keys, so only what a fixed handler now does
 * differently takes effect.
 */
public class EventOperations {

    /** The statuses a retry applies to: events that did not complete. */
    public static final Set<InboxStatus> RETRYABLE = EnumSet.of(InboxStatus.FAILED, InboxStatus.RETRY_SCHEDULED,
            InboxStatus.UNMAPPED, InboxStatus.IGNORED);

    /** The statuses a re-run applies to: events that completed, or were ignored for want of a handler. */
    public static final Set<InboxStatus> RERUNNABLE = EnumSet.of(InboxStatus.PROCESSED, InboxStatus.IGNORED);

    /** The statuses an operator may close by hand. */
    public static final Set<InboxStatus> RESOLVABLE = EnumSet.of(InboxStatus.RECEIVED, InboxStatus.FAILED,
            InboxStatus.RETRY_SCHEDULED, InboxStatus.UNMAPPED, InboxStatus.IGNORED);

    private final DataSource dataSource;
    private final Clock clock;

    public EventOperations(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Retries one event. False if it does not exist or is not in a retryable status. */
    public boolean retry(String eventId, String actor, String reason) throws SQLException {
        return retry(List.of(eventId), actor, reason) == 1;
    }

    /** Retries a selection of events; those not in a retryable status are left alone. */
    public int retry(List<String> eventIds, String actor, String reason) throws SQLException {
        if (eventIds.isEmpty()) {
            return 0;
        }
        String placeholders = eventIds.stream().map(id -> "?").collect(Collectors.joining(", "));
        return requeue("event_id IN (" + placeholders + ")", new ArrayList<>(eventIds), RETRYABLE, actor,
                "RETRY", reason);
    }

    /** Retries every FAILED event, optionally only of one type and only those received since a time. */
    public int retryFailed(String type, Instant since, String actor, String reason) throws SQLException {
        List<Object> parameters = new ArrayList<>();
        StringBuilder condition = new StringBuilder("1 = 1");
        narrow(condition, parameters, type, since);
        return requeue(condition.toString(), parameters, EnumSet.of(InboxStatus.FAILED), actor, "RETRY_FAILED", reason);
    }

    /** Re-runs the processed (and ignored) events of a type, for instance after a handler was fixed. */
    public int rerunProcessed(String type, Instant since, String actor, String reason) throws SQLException {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("a re-run needs an event type");
        }
        List<Object> parameters = new ArrayList<>();
        StringBuilder condition = new StringBuilder("1 = 1");
        narrow(condition, parameters, type, since);
        return requeue(condition.toString(), parameters, RERUNNABLE, actor, "RERUN", reason);
    }

    /** Closes an event by hand without processing it. The reason is required. */
    public boolean resolve(String eventId, String actor, String reason) throws SQLException {
        requireActor(actor);
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("resolving an event by hand needs a reason");
        }
        return Transactions.inTransaction(dataSource, connection -> {
            Instant now = clock.instant();
            List<String[]> locked = lock(connection, "event_id = ?", List.of(eventId), RESOLVABLE);
            if (locked.isEmpty()) {
                return false;
            }
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE inbox_event SET status = ?, status_reason = ?, status_changed_at = ?, due_at = NULL,
                           lease_owner = NULL, lease_token = NULL WHERE event_id = ?""")) {
                update.setString(1, InboxStatus.RESOLVED.name());
                update.setString(2, "resolved by " + actor + ": " + reason);
                update.setTimestamp(3, Timestamp.from(now));
                update.setString(4, eventId);
                update.executeUpdate();
            }
            AuditLog.record(connection, now, actor, "RESOLVE", "event", eventId, locked.get(0)[1],
                    InboxStatus.RESOLVED.name(), reason);
            return true;
        });
    }

    /**
     * Assigns a tenant by hand to a parked event that named none the engine could use, and to every other
     * parked event about the same Stripe object (the operator decides whose object it is), and re-queues
     * them. Returns how many events were assigned; the reason is required.
     */
    public int assignTenant(String eventId, String tenantId, String actor, String reason) throws SQLException {
        requireActor(actor);
        if (tenantId == null || tenantId.isBlank() || tenantId.length() > 255) {
            throw new IllegalArgumentException("a tenant id of 1 to 255 characters is required");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("assigning a tenant by hand needs a reason");
        }
        return Transactions.inTransaction(dataSource, connection -> {
            Instant now = clock.instant();
            List<String[]> target = lock(connection, "event_id = ?", List.of(eventId), EnumSet.of(InboxStatus.UNMAPPED));
            if (target.isEmpty()) {
                return 0;
            }
            List<String[]> events = new ArrayList<>(target);
            String objectId = objectOf(connection, eventId);
            if (objectId != null) {
                events = lock(connection, "object_id = ?", List.of(objectId), EnumSet.of(InboxStatus.UNMAPPED));
            }
            try (PreparedStatement assign = connection.prepareStatement(
                    "UPDATE inbox_event SET assigned_tenant_id = ? WHERE event_id = ?")) {
                for (String[] event : events) {
                    assign.setString(1, tenantId);
                    assign.setString(2, event[0]);
                    assign.addBatch();
                }
                assign.executeBatch();
            }
            for (String[] event : events) {
                InboxRequeue.event(connection, event[0], now,
                        "re-queued: tenant " + tenantId + " assigned by " + actor + ": " + reason);
                AuditLog.record(connection, now, actor, "ASSIGN_TENANT", "event", event[0], null, tenantId, reason);
            }
            return events.size();
        });
    }

    private static String objectOf(Connection connection, String eventId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT object_id FROM inbox_event WHERE event_id = ?")) {
            query.setString(1, eventId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    /**
     * Re-queues the matching events in the given statuses. An event whose body data retention removed cannot run
     * again and is left alone (its detail says when the body went).
     */
    private int requeue(String condition, List<Object> parameters, Set<InboxStatus> from, String actor,
                        String action, String reason) throws SQLException {
        requireActor(actor);
        return Transactions.inTransaction(dataSource, connection -> {
            Instant now = clock.instant();
            List<String[]> locked = lock(connection, "(" + condition + ") AND payload_removed_at IS NULL", parameters,
                    from);
            for (String[] event : locked) {
                InboxRequeue.event(connection, event[0], now,
                        "re-queued by " + actor + (reason == null || reason.isBlank() ? "" : ": " + reason));
                AuditLog.record(connection, now, actor, action, "event", event[0], event[1],
                        InboxStatus.RETRY_SCHEDULED.name(), reason);
            }
            return locked.size();
        });
    }

    /** Locks the matching events in the given statuses; returns their ids and statuses. */
    private static List<String[]> lock(Connection connection, String condition, List<?> parameters,
                                       Set<InboxStatus> statuses) throws SQLException {
        String in = statuses.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
        String sql = "SELECT event_id, status FROM inbox_event WHERE " + condition + " AND status IN (" + in
                + ") ORDER BY event_id FOR UPDATE SKIP LOCKED";
        List<String[]> locked = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                Object value = parameters.get(i);
                query.setObject(i + 1, value instanceof Instant at ? Timestamp.from(at) : value);
            }
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    locked.add(new String[] {row.getString(1), row.getString(2)});
                }
            }
        }
        return locked;
    }

    private static void narrow(StringBuilder condition, List<Object> parameters, String type, Instant since) {
        if (type != null && !type.isBlank()) {
            condition.append(" AND event_type = ?");
            parameters.add(type);
        }
        if (since != null) {
            condition.append(" AND received_at >= ?");
            parameters.add(since);
        }
    }

    private static void requireActor(String actor) {
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("every manual action needs the name of who does it");
        }
    }
}
