package io.billing.reconciliation;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import java.util.Objects;

/**
 * The Stripe ids that belong to one payment: its invoice, payment intent, charge, Checkout Session, subscription
 * and customer. Each event names some of them; a record keeps every id any of its events named
 * ({@link #filledFrom}). An id is absent (null) or a Stripe id of at most {@value #MAX_LENGTH} characters.
 */
@Embeddable
public class PaymentIds {

    /** The width of every id column. */
    public static final int MAX_LENGTH = 255;

    @Column(name = "invoice_id")
    private String invoiceId;

    @Column(name = "payment_intent_id")
    private String paymentIntentId;

    @Column(name = "charge_id")
    private String chargeId;

    @Column(name = "checkout_session_id")
    private String checkoutSessionId;

    @Column(name = "subscription_id")
    private String subscriptionId;

    @Column(name = "customer_id")
    private String customerId;

    protected PaymentIds() {
        // for the persistence provider
    }

    public PaymentIds(String invoiceId, String paymentIntentId, String chargeId, String checkoutSessionId,
                      String subscriptionId, String customerId) {
        this.invoiceId = id(invoiceId, "invoice");
        this.paymentIntentId = id(paymentIntentId, "payment intent");
        this.chargeId = id(chargeId, "charge");
        this.checkoutSessionId = id(checkoutSessionId, "Checkout Session");
        this.subscriptionId = id(subscriptionId, "subscription");
        this.customerId = id(customerId, "customer");
    }

    public static PaymentIds none() {
        return new PaymentIds(null, null, null, null, null, null);
    }

    /** These ids, with each one absent here taken from {@code seen}: an id once known is kept. */
    public PaymentIds filledFrom(PaymentIds seen) {
        return new PaymentIds(firstOf(invoiceId, seen.invoiceId), firstOf(paymentIntentId, seen.paymentIntentId),
                firstOf(chargeId, seen.chargeId), firstOf(checkoutSessionId, seen.checkoutSessionId),
                firstOf(subscriptionId, seen.subscriptionId), firstOf(customerId, seen.customerId));
    }

    public String invoiceId() {
        return invoiceId;
    }

    public String paymentIntentId() {
        return paymentIntentId;
    }

    public String chargeId() {
        return chargeId;
    }

    public String checkoutSessionId() {
        return checkoutSessionId;
    }

    public String subscriptionId() {
        return subscriptionId;
    }

    public String customerId() {
        return customerId;
    }

    private static String firstOf(String kept, String seen) {
        return kept != null ? kept : seen;
    }

    /** Blank is absent; an id longer than its column is refused here rather than by the database at commit. */
    private static String id(String value, String what) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a " + what + " id has at most " + MAX_LENGTH + " characters");
        }
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PaymentIds ids && Objects.equals(invoiceId, ids.invoiceId)
                && Objects.equals(paymentIntentId, ids.paymentIntentId) && Objects.equals(chargeId, ids.chargeId)
                && Objects.equals(checkoutSessionId, ids.checkoutSessionId)
                && Objects.equals(subscriptionId, ids.subscriptionId) && Objects.equals(customerId, ids.customerId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(invoiceId, paymentIntentId, chargeId, checkoutSessionId, subscriptionId, customerId);
    }

    @Override
    public String toString() {
        return "PaymentIds[invoice=" + invoiceId + ", paymentIntent=" + paymentIntentId + ", charge=" + chargeId
                + ", session=" + checkoutSessionId + ", subscription=" + subscriptionId + ", customer=" + customerId
                + "]";
    }
}
