package io.billing.connector;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.billing.entitlement.LicenceKeys;
import io.billing.ledger.PaymentPostings;
import io.billing.outbox.OutboxTransport;
import io.billing.outbox.RestClientCalls;
import io.billing.processing.handler.HandlingContext;
import io.billing.stripe.view.InvoiceLineView;
import io.billing.stripe.view.InvoiceView;
import io.billing.stripe.view.Period;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Drives an external licence service from recorded payments, as the built-in licences are derived (same
 * keys, from {@link LicenceKeys}, same validity): a subscription's first paid invoice (or one that changes its plan) creates a licence
 * per product, valid until the line's period end plus the grace; a renewal's paid invoice renews each to its
 * new period end plus the grace; a paid one-time order creates one without expiry. Keys:
 * {@code licence-create:<licence>} and {@code licence-renew:<licence>:<invoice>}, so each happens once.
 */
public final class LicenceSync implements PaymentPostings.PaymentRecorded {

    public static final String DESTINATION = "licence";

    private static final Set<String> STARTS = Set.of("subscription_create", "subscription_update");
    private static final String RENEWAL = "subscription_cycle";

    private final Duration grace;
    private final LicenceKeys keys;

    public LicenceSync(Duration grace, LicenceKeys keys) {
        this.grace = grace;
        this.keys = keys;
    }

    @Override
    public void recorded(HandlingContext context, PaymentPostings.RecordedPayment payment) throws SQLException {
        String tenant = context.tenantId();
        if (payment.billingReason() == null) { // a one-time order: the licence names the order
            String order = payment.orderId() != null ? payment.orderId() : payment.externalPaymentId();
            String key = keys.of(context.entityManager(), tenant, payment.externalPaymentId(), order);
            context.send(DESTINATION, "licence-create:" + key,
                    licence(key, tenant, order, null, order, null).toString());
            return;
        }
        boolean start = STARTS.contains(payment.billingReason());
        if (!start && !RENEWAL.equals(payment.billingReason()) || !(payment.object() instanceof InvoiceView paid)) {
            return;
        }
        String invoice = payment.externalPaymentId();
        for (Map.Entry<String, Line> product : productLines(paid).entrySet()) {
            Line line = product.getValue();
            String key = keys.of(context.entityManager(), tenant, line.subscriptionId(), product.getKey());
            Instant validUntil = line.periodEnd() == null ? null : line.periodEnd().plus(grace);
            if (start) {
                context.send(DESTINATION, "licence-create:" + key, licence(key, tenant, product.getKey(),
                        line.subscriptionId(), payment.orderId(), validUntil).toString());
            } else {
                JsonObject renewal = new JsonObject();
                renewal.addProperty("licence_key", key);
                renewal.addProperty("valid_until", validUntil == null ? null : validUntil.toString());
                renewal.addProperty("invoice_id", invoice);
                context.send(DESTINATION, "licence-renew:" + key + ":" + invoice, renewal.toString());
            }
        }
    }

    /** Delivers creations and renewals through the licence service's rest client. */
    public static OutboxTransport transport(LicenceApi api) {
        return RestClientCalls.transport(DESTINATION, message -> {
            if (message.idempotencyKey().startsWith("licence-renew:")) {
                String key = JsonParser.parseString(message.payload()).getAsJsonObject().get("licence_key").getAsString();
                return api.renew(message.idempotencyKey(), key, message.payload());
            }
            return api.create(message.idempotencyKey(), message.payload());
        });
    }

    private record Line(String subscriptionId, Instant periodEnd) {
    }

    /** The subscription lines of an invoice by product (the latest period end where a product repeats). */
    private static Map<String, Line> productLines(InvoiceView invoice) {
        Map<String, Line> byProduct = new LinkedHashMap<>();
        String invoiceSubscription = invoice.subscription();
        for (InvoiceLineView line : invoice.lines()) {
            String product = line.product();
            String subscription = line.subscription() != null ? line.subscription() : invoiceSubscription;
            if (product == null || subscription == null) {
                continue;
            }
            Period period = line.period();
            Instant periodEnd = period == null ? null : period.end();
            Line known = byProduct.get(product);
            if (known == null || known.periodEnd() == null
                    || periodEnd != null && periodEnd.isAfter(known.periodEnd())) {
                byProduct.put(product, new Line(subscription, periodEnd));
            }
        }
        return byProduct;
    }

    private static JsonObject licence(String key, String tenant, String product, String subscription, String order,
                                      Instant validUntil) {
        JsonObject licence = new JsonObject();
        licence.addProperty("licence_key", key);
        licence.addProperty("tenant_id", tenant);
        licence.addProperty("product", product);
        licence.addProperty("subscription_id", subscription);
        licence.addProperty("order_id", order);
        licence.addProperty("valid_until", validUntil == null ? null : validUntil.toString());
        return licence;
    }
}
