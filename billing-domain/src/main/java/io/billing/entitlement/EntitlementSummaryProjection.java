package io.billing.entitlement;

import io.billing.processing.handler.EventHandler;
import io.billing.processing.handler.HandlerOrder;
import io.billing.processing.handler.HandlingContext;
import io.billing.stripe.objects.SnapshotVersion;
import io.billing.stripe.objects.VersionedUpsert;
import io.billing.stripe.view.EntitlementSummaryView;
import jakarta.enterprise.context.Dependent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Set;

/** Keeps the newest entitlement summary Stripe sent for each customer (its feature lookup keys). */
@Dependent
@HandlerOrder(600)
public final class EntitlementSummaryProjection implements EventHandler {

    private static final String TYPE = "entitlements.active_entitlement_summary.updated";
    private static final String INSERT_SQL = "INSERT INTO entitlement_summary (tenant_id, features, version_created,"
            + " version_rank, version_event_id, customer_id) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String UPDATE_SQL = "UPDATE entitlement_summary SET tenant_id = ?, features = ?,"
            + " version_created = ?, version_rank = ?, version_event_id = ? WHERE customer_id = ?";

    @Override
    public Set<String> eventTypes() {
        return Set.of(TYPE);
    }

    @Override
    public void handle(HandlingContext context) throws SQLException {
        EntitlementSummaryView summary = EntitlementSummaryView.of(context.json().dataObject());
        String customer = summary.customer();
        if (customer == null) {
            throw new IllegalArgumentException("entitlement summary " + context.event().eventId() + " names no customer");
        }
        SnapshotVersion version = new SnapshotVersion(context.event().created(), 1, context.event().eventId());
        String joined = String.join(",", summary.featureLookupKeys());
        VersionedUpsert.apply(context.connection(), "entitlement_summary", "customer_id", customer, version,
                c -> write(c, INSERT_SQL, context.tenantId(), joined, version, customer),
                c -> write(c, UPDATE_SQL, context.tenantId(), joined, version, customer));
    }

    private static int write(Connection connection, String sql, String tenantId, String features,
                             SnapshotVersion version, String customer) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, tenantId);
            statement.setString(2, features);
            statement.setTimestamp(3, Timestamp.from(version.created()));
            statement.setInt(4, version.rank());
            statement.setString(5, version.eventId());
            statement.setString(6, customer);
            return statement.executeUpdate();
        }
    }
}
