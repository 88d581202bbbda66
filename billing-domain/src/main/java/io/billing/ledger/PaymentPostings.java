package io.billing.ledger;

import com.google.gson.JsonObject;
import io.billing.processing.handler.EventHandler;
import io.billing.processing.handler.HandlerOrder;
import io.billing.processing.handler.HandlingContext;
import io.billing.stripe.view.Amount;
import io.billing.stripe.view.ChargeView;
import io.billing.stripe.view.CheckoutSessionView;
import io.billing.stripe.view.DisputeView;
import io.billing.stripe.view.InvoiceView;
import io.billing.stripe.view.PaymentIntentView;
import io.billing.stripe.view.PaymentLink;
import io.billing.stripe.view.RefundView;
import io.billing.stripe.view.StripeObjectView;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.billing.ledger.LedgerAccount.BAD_DEBT;
import static io.billing.ledger.LedgerAccount.DISPUTES;
import static io.billing.ledger.LedgerAccount.DISPUTE_FEES;
import static io.billing.ledger.LedgerAccount.RECEIVABLES;
import static io.billing.ledger.LedgerAccount.REFUNDS;
import static io.billing.ledger.LedgerAccount.REVENUE;
import static io.billing.ledger.LedgerAccount.STRIPE_BALANCE;

/**
 * Posts Stripe's money facts to the tenant's {@link Ledger}, in the event's unit of work, each under a business
 * key so that it posts once whichever events report it, in whatever order, however often. The rules:
 * <ul>
 *   <li><b>Invoices</b> (accrual). Any invoice event past draft ({@code open}, {@code paid}, {@code void},
 *       {@code uncollectible}) means it was issued: {@code invoice_issued:<in>} debits receivables and
 *       credits revenue by {@code total}. Then {@code invoice_paid:<in>} (stripe balance / receivables,
 *       {@code amount_paid}), {@code invoice_voided:<in>} (revenue / receivables, {@code total}: the
 *       issue undone) or {@code invoice_uncollectible:<in>} (bad debt / receivables,
 *       {@code amount_remaining}). So {@code invoice.paid} and {@code invoice.payment_succeeded} for one
 *       invoice are one payment.</li>
 *   <li><b>One-time orders</b> (Checkout in payment mode, the application's orders carry
 *       {@code metadata.order_id}): {@code payment:<pi>} debits the stripe balance and credits revenue,
 *       from whichever of {@code charge.succeeded}, {@code payment_intent.succeeded},
 *       {@code checkout.session.completed} with {@code payment_status=paid} or
 *       {@code checkout.session.async_payment_succeeded} comes first. Never on an unpaid session.
 *       Charges and payment intents without an order id belong to invoices (since 2025 they no longer
 *       name their invoice) and are posted through the invoice.</li>
 *   <li><b>Refunds</b>: {@code refund:<re>} debits refunds and credits the stripe balance when the refund
 *       has succeeded. {@code charge.refunded} carries no refund id (refunds are not expanded), so the
 *       refund events are the source.</li>
 * </ul>
 * <ul>
 *   <li><b>Disputes</b>: {@code dispute_opened:<du>} debits disputes (the amount) and dispute fees (Stripe's
 *       fee, from the withdrawal's balance transaction) and credits the stripe balance;
 *       {@code dispute_won:<du>} gives the amount back.</li>
 * </ul>
 * Amounts of zero post nothing. Every event that reports a fact files it under its payment ({@link JournalPayments}),
 * posted now or before, so that a payment's trace shows it whichever event posted it, and a fact posted before the
 * files existed is filed by the next event that reports it. The payment is the fact's own: an invoice's facts are
 * {@code invoice:<in>}'s, a one-time order's payment is {@code payment:<pi>}, a refund or a dispute belongs to the
 * payment its object names ({@link PaymentLink}); so each fact has one payment, whatever event reports it.
 */
@HandlerOrder(500)
public final class PaymentPostings implements EventHandler {

    static final Set<String> INVOICE_TYPES = Set.of("invoice.finalized", "invoice.paid", "invoice.payment_succeeded",
            "invoice.payment_failed", "invoice.payment_action_required", "invoice.voided",
            "invoice.marked_uncollectible", "invoice.updated");
    static final Set<String> ORDER_TYPES = Set.of("charge.succeeded", "payment_intent.succeeded",
            "checkout.session.completed", "checkout.session.async_payment_succeeded");
    static final Set<String> REFUND_TYPES = Set.of("refund.created", "refund.updated");
    static final Set<String> DISPUTE_TYPES = Set.of("charge.dispute.created", "charge.dispute.updated",
            "charge.dispute.closed", "charge.dispute.funds_withdrawn", "charge.dispute.funds_reinstated");

    /** The business key prefix of a one-time order's payment; the payment intent id follows it. */
    public static final String PAYMENT_KEY_PREFIX = PaymentLink.PAYMENT_KEY;

    private static final String ORDER_PAID_PREFIX = "order ";
    private static final String ORDER_PAID_SUFFIX = " paid";

    /**
     * A payment the ledger has just recorded for the first time (an invoice paid, a one-time order paid).
     *
     * @param reconciliationKey the payment's reconciliation record ({@code invoice:<in>} or {@code payment:<pi>})
     * @param externalPaymentId the Stripe id that identifies the payment (the invoice, or the payment intent)
     * @param orderId           the internal order id from the metadata, or null
     * @param billingReason     an invoice's {@code billing_reason} ({@code subscription_create},
     *                          {@code subscription_cycle} …); null for a one-time order
     * @param amount            what was paid
     * @param object            the Stripe object that recorded it (the invoice, charge, payment intent or session)
     */
    public record RecordedPayment(String reconciliationKey, String externalPaymentId, String orderId,
                                  String billingReason, Money amount, StripeObjectView object) {
    }

    /** Told, in the event's transaction, of each payment once: when its fact is first posted. */
    @FunctionalInterface
    public interface PaymentRecorded {
        void recorded(HandlingContext context, RecordedPayment payment) throws SQLException;
    }

    private final List<PaymentRecorded> listeners;

    public PaymentPostings() {
        this(List.of());
    }

    /** @param listeners told of every payment recorded (the connectors that report payments onwards) */
    public PaymentPostings(List<PaymentRecorded> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /**
     * The description of a one-time order's payment entry, which is where the ledger keeps the order id
     * (payment traces and licences read it back with {@link #orderIn}).
     */
    public static String orderPaid(String orderId) {
        return ORDER_PAID_PREFIX + orderId + ORDER_PAID_SUFFIX;
    }

    /** The order id of a one-time order's payment entry, from its description; null for other entries. */
    public static String orderIn(String description) {
        return description != null && description.startsWith(ORDER_PAID_PREFIX) && description.endsWith(ORDER_PAID_SUFFIX)
                ? description.substring(ORDER_PAID_PREFIX.length(), description.length() - ORDER_PAID_SUFFIX.length())
                : null;
    }

    @Override
    public Set<String> eventTypes() {
        Set<String> all = new HashSet<>(INVOICE_TYPES);
        all.addAll(ORDER_TYPES);
        all.addAll(REFUND_TYPES);
        all.addAll(DISPUTE_TYPES);
        return all;
    }

    @Override
    public void handle(HandlingContext context) throws SQLException {
        JsonObject object = context.json().dataObject();
        String type = context.event().type();
        Posting posting = new Posting(context, PaymentLink.of(object).key());
        if (INVOICE_TYPES.contains(type)) {
            postInvoice(posting, InvoiceView.of(object));
        } else if (ORDER_TYPES.contains(type)) {
            postOrderPayment(posting, object);
        } else if (DISPUTE_TYPES.contains(type)) {
            postDispute(posting, DisputeView.of(object));
        } else if (REFUND_TYPES.contains(type)) {
            RefundView refund = RefundView.of(object);
            if (refund.succeeded()) {
                post(posting, "refund:" + refund.id(), "refund " + refund.id(), REFUNDS, STRIPE_BALANCE,
                        money(refund.amount()));
            }
        }
    }

    /** One event's postings: its unit of work, and the payment its facts are filed under (null for none). */
    private record Posting(HandlingContext context, String paymentKey) {

        /** The same event's postings of another payment's facts. */
        Posting of(String otherPayment) {
            return new Posting(context, otherPayment);
        }
    }

    /** An invoice's issue and, with it, what its status says (paid, voided, written off): one round trip. */
    private void postInvoice(Posting posting, InvoiceView invoice) throws SQLException {
        String id = invoice.id();
        String status = invoice.status();
        if (id == null || status == null || "draft".equals(status)) {
            return;
        }
        Money total = money(invoice.total());
        List<JournalEntry> entries = new ArrayList<>(2);
        add(entries, transfer(posting, "invoice_issued:" + id, "invoice " + id + " issued", RECEIVABLES, REVENUE,
                total));
        String paidKey = "invoice_paid:" + id;
        Money paid = money(invoice.amountPaid());
        switch (status) {
            case "paid" -> add(entries, transfer(posting, paidKey, "invoice " + id + " paid", STRIPE_BALANCE,
                    RECEIVABLES, paid));
            case "void" -> add(entries, transfer(posting, "invoice_voided:" + id, "invoice " + id + " voided", REVENUE,
                    RECEIVABLES, total));
            case "uncollectible" -> add(entries, transfer(posting, "invoice_uncollectible:" + id,
                    "invoice " + id + " written off", BAD_DEBT, RECEIVABLES, money(invoice.amountRemaining())));
            default -> {
                // open: issued, not settled yet
            }
        }
        if (post(posting, entries).contains(paidKey)) {
            recorded(posting.context(), new RecordedPayment(PaymentLink.INVOICE_KEY + id, id,
                    invoice.metadataOrSubscriptions("order_id"), invoice.billingReason(), paid, invoice));
        }
    }

    /** What one order-payment event says: the payment intent, the amount, and the object that says it. */
    private record OrderPayment(String paymentIntent, Amount amount, StripeObjectView object) {
    }

    private void postOrderPayment(Posting posting, JsonObject object) throws SQLException {
        String orderId = StripeObjectView.of(object).metadata("order_id");
        if (orderId == null) {
            return; // an invoice's payment: posted through the invoice
        }
        OrderPayment payment = orderPayment(object);
        if (payment == null || payment.paymentIntent() == null) {
            return;
        }
        String key = PAYMENT_KEY_PREFIX + payment.paymentIntent();
        Money amount = money(payment.amount());
        // The fact is the payment of its payment intent, whichever object reports it (a session that also created
        // an invoice names that invoice too).
        if (post(posting.of(key), key, orderPaid(orderId), STRIPE_BALANCE, REVENUE, amount)) {
            recorded(posting.context(), new RecordedPayment(key, payment.paymentIntent(), orderId, null, amount,
                    payment.object()));
        }
    }

    /** The order payment an object reports, by its type; null when it reports none (yet). */
    private static OrderPayment orderPayment(JsonObject object) {
        String type = StripeObjectView.of(object).type();
        switch (type == null ? "" : type) {
            case "charge" -> {
                ChargeView charge = ChargeView.of(object);
                return new OrderPayment(charge.paymentIntent(), charge.amount(), charge);
            }
            case "payment_intent" -> {
                PaymentIntentView intent = PaymentIntentView.of(object);
                return new OrderPayment(intent.id(), intent.amountReceived(), intent);
            }
            case "checkout.session" -> {
                CheckoutSessionView session = CheckoutSessionView.of(object);
                // a subscription's session is paid through its invoice; an unpaid one is not paid yet
                return "payment".equals(session.mode()) && session.paid()
                        ? new OrderPayment(session.paymentIntent(), session.amountTotal(), session) : null;
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * A dispute takes its amount and Stripe's fee from the balance when it opens ({@code dispute_opened}, from
     * whichever dispute event comes first: the withdrawal is in its balance transactions); a dispute won gives
     * the amount back ({@code dispute_won}); a lost one needs nothing more.
     */
    private void postDispute(Posting posting, DisputeView dispute) throws SQLException {
        String id = dispute.id();
        Money amount = money(dispute.amount());
        if (id == null || amount == null || amount.minorUnits() <= 0) {
            return;
        }
        long fee = dispute.withdrawalFees();
        Money fees = new Money(fee, amount.currency());
        List<JournalEntry.Line> lines = new ArrayList<>();
        lines.add(JournalEntry.Line.debit(DISPUTES, amount));
        if (fee > 0) {
            lines.add(JournalEntry.Line.debit(DISPUTE_FEES, fees));
        }
        lines.add(JournalEntry.Line.credit(STRIPE_BALANCE, amount.plus(fees)));
        HandlingContext context = posting.context();
        List<JournalEntry> entries = new ArrayList<>(2);
        entries.add(new JournalEntry(context.tenantId(), amount.currency(), "dispute_opened:" + id,
                context.event().eventId(), "dispute " + id + " opened", lines));
        if ("won".equals(dispute.status())) {
            add(entries, transfer(posting, "dispute_won:" + id, "dispute " + id + " won", STRIPE_BALANCE, DISPUTES,
                    amount));
        }
        post(posting, entries);
    }

    /** Posts the fact unless it was posted before; true if posted now. */
    private static boolean post(Posting posting, String key, String description, LedgerAccount debit,
                                LedgerAccount credit, Money amount) throws SQLException {
        JournalEntry entry = transfer(posting, key, description, debit, credit, amount);
        return entry != null && post(posting, List.of(entry)).contains(key);
    }

    /** The fact as this event's entry moving {@code amount}; null when it moves nothing (no amount, or zero). */
    private static JournalEntry transfer(Posting posting, String key, String description, LedgerAccount debit,
                                         LedgerAccount credit, Money amount) {
        if (amount == null || amount.minorUnits() <= 0) {
            return null;
        }
        HandlingContext context = posting.context();
        return JournalEntry.transfer(context.tenantId(), key, context.event().eventId(), description, debit, credit,
                amount);
    }

    private static void add(List<JournalEntry> entries, JournalEntry entry) {
        if (entry != null) {
            entries.add(entry);
        }
    }

    /**
     * Posts the entries unless their facts were posted before, in one round trip where the database allows, and
     * files each fact under its payment in the same transaction (a fact filed before stays as it is); the business
     * keys posted now.
     */
    private static Set<String> post(Posting posting, List<JournalEntry> entries) throws SQLException {
        HandlingContext context = posting.context();
        Set<String> posted = ledger(context).postAll(entries, context.now());
        for (JournalEntry entry : entries) {
            JournalPayments.link(context.entityManager(), entry.tenantId(), entry.businessKey(), posting.paymentKey());
        }
        return posted;
    }

    /** The tenant's ledger in the event's unit of work. */
    private static Ledger ledger(HandlingContext context) {
        return new JpaLedger(context.entityManager());
    }

    private void recorded(HandlingContext context, RecordedPayment payment) throws SQLException {
        for (PaymentRecorded listener : listeners) {
            listener.recorded(context, payment);
        }
    }

    private static Money money(Amount amount) {
        return amount == null ? null : Money.ofStripe(amount.minorUnits(), amount.currency());
    }
}
