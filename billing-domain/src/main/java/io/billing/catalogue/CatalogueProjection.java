package io.billing.catalogue;

import com.google.gson.JsonObject;
import io.billing.processing.handler.EventHandler;
import io.billing.processing.handler.HandlerOrder;
import io.billing.processing.handler.HandlingContext;
import io.billing.processing.handler.InboxWorkItem;
import io.billing.stripe.objects.SnapshotVersion;
import io.billing.stripe.objects.VersionedUpsert;
import io.billing.stripe.view.PriceView;
import io.billing.stripe.view.ProductView;
import io.billing.stripe.view.StripeObjectView;
import jakarta.enterprise.context.Dependent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.HashSet;
import java.util.Set;

/**
 * Keeps the plan catalogue from Stripe's account-level {@code product.*} and {@code price.*} events, newest
 * snapshot wins. Not tenant-scoped: the catalogue is the merchant's, shared by every tenant, so these
 * events never wait for a tenant mapping.
 */
@Dependent
@HandlerOrder(100)
public final class CatalogueProjection implements EventHandler {

    static final Set<String> PRODUCT_TYPES = Set.of("product.created", "product.updated", "product.deleted");
    static final Set<String> PRICE_TYPES = Set.of("price.created", "price.updated", "price.deleted");

    private static final String PRODUCT_COLUMNS = "name, active, deleted, plan_code, livemode, version_created,"
            + " version_rank, version_event_id, product_id";
    private static final String PRICE_COLUMNS = "product_id, currency, unit_amount, billing_interval, interval_count,"
            + " active, deleted, livemode, version_created, version_rank, version_event_id, price_id";

    @Override
    public Set<String> eventTypes() {
        Set<String> types = new HashSet<>(PRODUCT_TYPES);
        types.addAll(PRICE_TYPES);
        return types;
    }

    @Override
    public boolean tenantScoped() {
        return false;
    }

    @Override
    public void handle(HandlingContext context) throws SQLException {
        InboxWorkItem event = context.event();
        JsonObject object = context.json().dataObject();
        String id = StripeObjectView.of(object).id();
        if (id == null) {
            throw new IllegalArgumentException(event.type() + " event " + event.eventId() + " has no object id");
        }
        boolean deleted = event.type().endsWith(".deleted");
        SnapshotVersion version = new SnapshotVersion(event.created(),
                SnapshotVersion.rank(event.objectType(), null, event.type()), event.eventId());
        boolean product = PRODUCT_TYPES.contains(event.type());
        String table = product ? "catalogue_product" : "catalogue_price";
        String columns = product ? PRODUCT_COLUMNS : PRICE_COLUMNS;
        Object[] values = product ? productValues(ProductView.of(object), deleted, event.livemode())
                : priceValues(PriceView.of(object), deleted, event.livemode());
        VersionedUpsert.apply(context.connection(), table, product ? "product_id" : "price_id", id, version,
                c -> write(c, "INSERT INTO " + table + " (" + columns + ") VALUES ("
                        + "?, ".repeat(columns.split(",").length - 1) + "?) ON CONFLICT DO NOTHING", values, version, id),
                c -> write(c, "UPDATE " + table + " SET " + columns.substring(0, columns.lastIndexOf(','))
                        .replace(",", " = ?,") + " = ? WHERE " + (product ? "product_id" : "price_id") + " = ?",
                        values, version, id));
    }

    private static int write(Connection connection, String sql, Object[] values, SnapshotVersion version, String id)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int at = 1;
            for (Object value : values) {
                if (value == null) {
                    statement.setNull(at++, Types.VARCHAR);
                } else {
                    statement.setObject(at++, value);
                }
            }
            statement.setTimestamp(at++, Timestamp.from(version.created()));
            statement.setInt(at++, version.rank());
            statement.setString(at++, version.eventId());
            statement.setString(at, id);
            return statement.executeUpdate();
        }
    }

    /** The values of {@link #PRODUCT_COLUMNS} before the version's. */
    private static Object[] productValues(ProductView product, boolean deleted, boolean livemode) {
        return new Object[] {product.name(), product.active(), deleted, product.metadata("plan_code"), livemode};
    }

    /** The values of {@link #PRICE_COLUMNS} before the version's. */
    private static Object[] priceValues(PriceView price, boolean deleted, boolean livemode) {
        return new Object[] {price.product(), price.currency(), price.unitAmount(), price.interval(),
                price.intervalCount(), price.active(), deleted, livemode};
    }
}
