package io.billing.connector;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.billing.entitlement.LicenceKeys;
import io.billing.ledger.PaymentPostings;
import io.billing.outbox.OutboxTransport;
import io.billing.platform.persistence.DataAccess;
import io.billing.outbox.RestClientCalls;
import io.billing.processing.handler.HandlingContext;
import io.billing.stripe.view.CheckoutSessionView;
import io.billing.stripe.view.InvoiceLineView;
import io.billing.stripe.view.InvoiceView;
import io.billing.stripe.view.Period;
import io.billing.stripe.view.StripeObjectView;

import java.sql.SQLException;
import java.time.Clock;
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
        String customer = context.event().customerId();
        LicenceUserSync.rememberFromPayment(context, customer, contactOf(payment.object()));
        if (payment.billingReason() == null) { // a one-time order: the licence names the order
            String order = payment.orderId() != null ? payment.orderId() : payment.externalPaymentId();
            String key = keys.of(context.entityManager(), tenant, payment.externalPaymentId(), order);
            context.send(DESTINATION, "licence-create:" + key,
                    licence(key, tenant, customer, order, null, order, null).toString());
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
                context.send(DESTINATION, "licence-create:" + key, licence(key, tenant, customer, product.getKey(),
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

    /** What a payment says of its customer, for a customer no customer event has told of. */
    private static LicenceUser.Contact contactOf(StripeObjectView paid) {
        if (paid instanceof InvoiceView invoice) {
            return new LicenceUser.Contact(invoice.customerEmail(), invoice.customerName());
        }
        if (paid instanceof CheckoutSessionView session) {
            return new LicenceUser.Contact(session.customerEmail(), session.customerName());
        }
        return new LicenceUser.Contact(null, null);
    }

    /**
     * Delivers through the licence service's rest client: a customer's user ({@link LicenceUserSync}), a renewal,
     * or a creation, which first makes sure the customer's user exists so that the licence is created for it.
     */
    public static OutboxTransport transport(DataAccess data, Clock clock, LicenceApi api) {
        LicenceUserSync.UserCalls users = LicenceUserSync.calls(api);
        OutboxTransport calls = RestClientCalls.transport(DESTINATION, message -> {
            JsonObject body = JsonParser.parseString(message.payload()).getAsJsonObject();
            if (message.idempotencyKey().startsWith("licence-renew:")) {
                return api.renew(message.idempotencyKey(), body.get("licence_key").getAsString(), message.payload());
            }
            return api.create(message.idempotencyKey(), message.payload());
        });
        return message -> {
            if (message.idempotencyKey().startsWith(LicenceUserSync.MESSAGE_PREFIX)) {
                return LicenceUserSync.deliver(data, clock, users, message);
            }
            if (!message.idempotencyKey().startsWith("licence-create:")) {
                return calls.deliver(message);
            }
            JsonObject licence = JsonParser.parseString(message.payload()).getAsJsonObject();
            JsonElement customer = licence.get("customer_id");
            if (customer == null || customer.isJsonNull()) {
                return calls.deliver(message);
            }
            LicenceUserSync.Ensured user = LicenceUserSync.ensure(data, clock, users, message.tenantId(),
                    customer.getAsString());
            if (user.failure() != null) {
                return user.failure();
            }
            licence.addProperty("user_id", user.userId());
            return calls.deliver(message.withPayload(licence.toString()));
        };
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

    private static JsonObject licence(String key, String tenant, String customer, String product, String subscription,
                                      String order, Instant validUntil) {
        JsonObject licence = new JsonObject();
        licence.addProperty("licence_key", key);
        licence.addProperty("tenant_id", tenant);
        licence.addProperty("customer_id", customer);
        licence.addProperty("product", product);
        licence.addProperty("subscription_id", subscription);
        licence.addProperty("order_id", order);
        licence.addProperty("valid_until", validUntil == null ? null : validUntil.toString());
        return licence;
    }
}
