package io.billing.subscription;

import io.billing.processing.handler.EventHandler;
import io.billing.processing.handler.HandlerOrder;
import io.billing.processing.handler.HandlingContext;
import io.billing.processing.handler.InboxWorkItem;
import io.billing.stripe.FetchedSnapshots;
import io.billing.stripe.objects.SnapshotVersion;
import io.billing.stripe.objects.VersionedUpsert;
import io.billing.stripe.view.Period;
import io.billing.stripe.view.SubscriptionItemView;
import io.billing.stripe.view.SubscriptionView;
import jakarta.enterprise.context.Dependent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Set;

/**
 * Keeps the local subscription of every {@code customer.subscription.*} event: tenant, customer, status,
 * items with price, product and quantity, the current period, trial end, cancellation fields and the
 * order id from the metadata. A snapshot replaces the stored one only if it is newer (see
 * {@link SnapshotVersion}); the items are replaced with it.
 *
 * <p>The current period is the span of the items' periods where the API version keeps it on the items
 * (since {@code 2025-03-31.basil}), else the subscription's own (see {@link SubscriptionView#currentPeriod()}).
 */
@Dependent
@HandlerOrder(300)
public final class SubscriptionProjection implements EventHandler {

    static final Set<String> EVENT_TYPES = FetchedSnapshots.plusFetched(Set.of(
            "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
            "customer.subscription.paused", "customer.subscription.resumed",
            "customer.subscription.trial_will_end", "customer.subscription.pending_update_applied",
            "customer.subscription.pending_update_expired"));

    private static final String INSERT_SQL = """
            INSERT INTO subscription (tenant_id, customer_id, status, current_period_start, current_period_end,
                                      trial_end, cancel_at_period_end, canceled_at, ended_at, order_id,
                                      version_created, version_rank, version_event_id, subscription_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";
    private static final String UPDATE_SQL = """
            UPDATE subscription SET tenant_id = ?, customer_id = ?, status = ?, current_period_start = ?,
                   current_period_end = ?, trial_end = ?, cancel_at_period_end = ?, canceled_at = ?, ended_at = ?,
                   order_id = ?, version_created = ?, version_rank = ?, version_event_id = ?
            WHERE subscription_id = ?""";
    private static final String DELETE_ITEMS_SQL = "DELETE FROM subscription_item WHERE subscription_id = ?";
    private static final String INSERT_ITEM_SQL = """
            INSERT INTO subscription_item (subscription_id, item_id, tenant_id, price_id, product_id, quantity)
            VALUES (?, ?, ?, ?, ?, ?)""";

    @Override
    public Set<String> eventTypes() {
        return EVENT_TYPES;
    }

    @Override
    public void handle(HandlingContext context) throws SQLException {
        InboxWorkItem event = context.event();
        SubscriptionView subscription = SubscriptionView.of(context.json().dataObject());
        String id = subscription.id();
        String status = subscription.status();
        if (id == null || status == null) {
            throw new IllegalArgumentException("subscription event " + event.eventId() + " has no id or status");
        }
        SnapshotVersion version = new SnapshotVersion(event.created(),
                SnapshotVersion.rank("subscription", status, event.type()), event.eventId());
        Snapshot snapshot = Snapshot.of(subscription, context.tenantId(), event.customerId(), status);
        VersionedUpsert.Result result = VersionedUpsert.apply(context.connection(), "subscription",
                "subscription_id", id, version,
                c -> write(c, INSERT_SQL, id, snapshot, version),
                c -> write(c, UPDATE_SQL, id, snapshot, version));
        if (result.changed()) {
            replaceItems(context.connection(), id, context.tenantId(), subscription);
        }
    }

    /** The fields of one subscription snapshot, as stored. */
    private record Snapshot(String tenantId, String customerId, String status, Instant periodStart,
                            Instant periodEnd, Instant trialEnd, boolean cancelAtPeriodEnd, Instant canceledAt,
                            Instant endedAt, String orderId) {

        static Snapshot of(SubscriptionView subscription, String tenantId, String customerId, String status) {
            Period period = subscription.currentPeriod();
            return new Snapshot(tenantId, customerId, status, period == null ? null : period.start(),
                    period == null ? null : period.end(), subscription.trialEnd(), subscription.cancelAtPeriodEnd(),
                    subscription.canceledAt(), subscription.endedAt(), subscription.metadata("order_id"));
        }
    }

    private static int write(Connection connection, String sql, String id, Snapshot s, SnapshotVersion version)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, s.tenantId());
            statement.setString(2, s.customerId());
            statement.setString(3, s.status());
            setInstant(statement, 4, s.periodStart());
            setInstant(statement, 5, s.periodEnd());
            setInstant(statement, 6, s.trialEnd());
            statement.setBoolean(7, s.cancelAtPeriodEnd());
            setInstant(statement, 8, s.canceledAt());
            setInstant(statement, 9, s.endedAt());
            statement.setString(10, s.orderId());
            statement.setTimestamp(11, Timestamp.from(version.created()));
            statement.setInt(12, version.rank());
            statement.setString(13, version.eventId());
            statement.setString(14, id);
            return statement.executeUpdate();
        }
    }

    private static void replaceItems(Connection connection, String id, String tenantId, SubscriptionView subscription)
            throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(DELETE_ITEMS_SQL)) {
            delete.setString(1, id);
            delete.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_ITEM_SQL)) {
            for (SubscriptionItemView item : subscription.items()) {
                insert.setString(1, id);
                insert.setString(2, item.id());
                insert.setString(3, tenantId);
                insert.setString(4, item.price());
                insert.setString(5, item.product());
                Long quantity = item.quantity();
                if (quantity != null) {
                    insert.setLong(6, quantity);
                } else {
                    insert.setNull(6, Types.BIGINT);
                }
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setTimestamp(index, Timestamp.from(value));
        }
    }
}
