package io.billing.it;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Reads what the service stored, straight from the database (bypassing the proxy). */
public final class InboxRows {

    /** One inbox row as stored. */
    public record Row(String eventId, String type, String apiVersion, boolean livemode, String objectType,
                      String objectId, String customerId, byte[] payload, int deliveryCount, String status) {
    }

    private InboxRows() {
    }

    public static Optional<Row> find(String eventId) {
        try (Connection c = TestEnvironment.get().openDatabase();
             PreparedStatement s = c.prepareStatement("""
                     SELECT event_id, event_type, api_version, livemode, object_type, object_id, customer_id,
                            payload, delivery_count, status
                     FROM inbox_event WHERE event_id = ?""")) {
            s.setString(1, eventId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Row(r.getString(1), r.getString(2), r.getString(3), r.getBoolean(4),
                        r.getString(5), r.getString(6), r.getString(7), r.getBytes(8), r.getInt(9), r.getString(10)));
            }
        } catch (SQLException e) {
            throw new AssertionError("could not read the inbox: " + e, e);
        }
    }

    public static Row get(String eventId) {
        return find(eventId).orElseThrow(() -> new AssertionError("event " + eventId + " was not stored"));
    }

    public static long count() {
        try (Connection c = TestEnvironment.get().openDatabase();
             var s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM inbox_event")) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError("could not read the inbox: " + e, e);
        }
    }
}
