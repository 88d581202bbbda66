package io.billing.stripe.view;

import com.google.gson.JsonObject;

/**
 * The payment a Stripe object belongs to, as the object names it: the Stripe ids of the payment it carries, and the
 * key that names the payment ({@link #key()}). The reconciliation record of a payment and every ledger posting of it
 * (its payment, refunds, disputes) are filed under that one key, so both read it here.
 *
 * <p>A payment is keyed by its invoice ({@code invoice:<in>}: subscription and manual invoices, their Checkout
 * Session and credit notes included), else by its payment intent ({@code payment:<pi>}: one-time orders, their
 * charge, refunds and disputes), else by the Checkout Session alone ({@code session:<cs>}, a session that never got
 * a payment). A charge or payment intent of an API version before {@code 2025-03-31.basil} also names its invoice;
 * that id is kept ({@link #invoice()}) but does not key it, so it is keyed by its payment intent in every version.
 *
 * @param keyInvoice the invoice that keys the payment: an invoice's own, a session's or a credit note's; never a
 *                   charge's or payment intent's
 */
public record PaymentLink(String keyInvoice, String invoice, String paymentIntent, String charge, String session,
                          String subscription) {

    /** The key prefix of a payment keyed by its invoice. */
    public static final String INVOICE_KEY = "invoice:";
    /** The key prefix of a payment keyed by its payment intent. */
    public static final String PAYMENT_KEY = "payment:";
    /** The key prefix of a Checkout Session that never got a payment. */
    public static final String SESSION_KEY = "session:";

    private static final PaymentLink NONE = new PaymentLink(null, null, null, null, null, null);

    /** What the object names of its payment, by its type; nothing for a type that belongs to no payment. */
    public static PaymentLink of(JsonObject object) {
        String type = StripeObjectView.of(object).type();
        switch (type == null ? "" : type) {
            case "invoice" -> {
                InvoiceView invoice = InvoiceView.of(object);
                return new PaymentLink(invoice.id(), invoice.id(), invoice.paymentIntent(), invoice.charge(), null,
                        invoice.subscription());
            }
            case "checkout.session" -> {
                CheckoutSessionView session = CheckoutSessionView.of(object);
                return new PaymentLink(session.invoice(), session.invoice(), session.paymentIntent(), null,
                        session.id(), session.subscription());
            }
            case "payment_intent" -> {
                PaymentIntentView intent = PaymentIntentView.of(object);
                return new PaymentLink(null, intent.invoice(), intent.id(), intent.latestCharge(), null, null);
            }
            case "charge" -> {
                ChargeView charge = ChargeView.of(object);
                return new PaymentLink(null, charge.invoice(), charge.paymentIntent(), charge.id(), null, null);
            }
            case "refund", "dispute" -> {
                PaymentReversalView reversal = PaymentReversalView.ofAnyType(object);
                return new PaymentLink(null, null, reversal.paymentIntent(), reversal.charge(), null, null);
            }
            case "credit_note" -> {
                String invoice = Json.reference(object, "invoice");
                return new PaymentLink(invoice, invoice, null, null, null, null);
            }
            default -> {
                return NONE;
            }
        }
    }

    /** The payment's key: by the invoice, else the payment intent, else the session; null when it names none. */
    public String key() {
        return keyInvoice != null ? INVOICE_KEY + keyInvoice
                : paymentIntent != null ? PAYMENT_KEY + paymentIntent
                : session != null ? SESSION_KEY + session : null;
    }
}
