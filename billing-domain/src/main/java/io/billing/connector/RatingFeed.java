package io.billing.connector;

import com.google.gson.JsonObject;
import io.billing.ledger.PaymentPostings;
import io.billing.outbox.OutboxTransport;
import io.billing.outbox.RestClientCalls;
import io.billing.processing.handler.HandlingContext;

import java.sql.SQLException;

/**
 * Reports every payment the ledger records to the rating / billing-ledger edge: tenant, Stripe payment id
 * (the invoice, or a one-time order's payment intent), amount in the currency's major units and the
 * currency, under the idempotency key {@code rating:<payment>} (one per payment, whatever mix of events
 * and retries recorded it).
 */
public final class RatingFeed implements PaymentPostings.PaymentRecorded {

    public static final String DESTINATION = "rating";

    @Override
    public void recorded(HandlingContext context, PaymentPostings.RecordedPayment payment) throws SQLException {
        JsonObject body = new JsonObject();
        body.addProperty("tenant_id", context.tenantId());
        body.addProperty("external_payment_id", payment.externalPaymentId());
        body.addProperty("amount", payment.amount().toMajor());
        body.addProperty("currency", payment.amount().currency().getCurrencyCode());
        body.addProperty("order_id", payment.orderId());
        body.addProperty("recorded_at", context.now().toString());
        context.send(DESTINATION, "rating:" + payment.reconciliationKey(), body.toString());
    }

    /** Delivers through the rating API's rest client. */
    public static OutboxTransport transport(RatingApi api) {
        return RestClientCalls.transport(DESTINATION, message -> api.rate(message.idempotencyKey(), message.payload()));
    }
}
