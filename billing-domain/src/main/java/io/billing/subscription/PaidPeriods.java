package io.billing.subscription;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.billing.processing.EventHandler;
import io.billing.processing.HandlingContext;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Set;

import static io.billing.stripe.StripeEventJson.object;
import static io.billing.stripe.StripeEventJson.string;

/**
 * Records the service period each paid subscription invoice covers (the latest end among its lines), so
 * that a renewal ({@code billing_reason=subscription_cycle}) extends access as soon as it is paid. Once per
 * invoice, whichever of {@code invoice.paid} and {@code invoice.payment_succeeded} comes first.
 */
public final class PaidPeriods implements EventHandler {

    private static final String INSERT_SQL = """
            INSERT INTO subscription_paid_period (subscription_id, invoice_id, tenant_id, period_end)
            VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING""";

    @Override
    public Set<String> eventTypes() {
        return Set.of("invoice.paid", "invoice.payment_succeeded");
    }

    @Override
    public void handle(HandlingContext context) throws SQLException {
        JsonObject invoice = context.json().dataObject();
        String subscription = string(invoice, "parent", "subscription_details", "subscription");
        if (subscription == null) {
            subscription = string(invoice, "subscription"); // API versions before 2025
        }
        Instant periodEnd = latestLineEnd(invoice);
        if (subscription == null || periodEnd == null || !"paid".equals(string(invoice, "status"))) {
            return;
        }
        try (PreparedStatement insert = context.connection().prepareStatement(INSERT_SQL)) {
            insert.setString(1, subscription);
            insert.setString(2, string(invoice, "id"));
            insert.setString(3, context.tenantId());
            insert.setTimestamp(4, Timestamp.from(periodEnd));
            insert.executeUpdate();
        }
    }

    private static Instant latestLineEnd(JsonObject invoice) {
        JsonObject lines = object(invoice, "lines");
        JsonElement data = lines == null ? null : lines.get("data");
        Instant latest = null;
        if (data != null && data.isJsonArray()) {
            for (JsonElement line : data.getAsJsonArray()) {
                JsonObject period = line.isJsonObject() ? object(line.getAsJsonObject(), "period") : null;
                JsonElement end = period == null ? null : period.get("end");
                if (end != null && end.isJsonPrimitive()) {
                    Instant candidate = Instant.ofEpochSecond(end.getAsLong());
                    latest = latest == null || candidate.isAfter(latest) ? candidate : latest;
                }
            }
        }
        return latest;
    }
}
