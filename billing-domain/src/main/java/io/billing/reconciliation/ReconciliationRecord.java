package io.billing.reconciliation;

import io.billing.ledger.Money;
import io.billing.platform.persistence.LockingReads;
import io.billing.tenant.TenantId;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.QueryHint;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One payment's reconciliation record: every Stripe id of the payment, its tenant, the internal order and
 * checkout attempt, the status, when it was first received and first seen paid, how many of its events' attempts
 * were retries, and the commerce connector's check against the store order.
 *
 * <p>Events merge into it in any order ({@link #recordEvent}): an id once known is kept, the status only moves up
 * its ladder, the first receipt is the earliest. Several writers may change one record at once (the engine's
 * workers, the commerce connector's delivery, operators); {@code version} makes the one that read an older state
 * fail instead of overwriting.
 *
 * <p>The events about the payment are rows of {@code reconciliation_event}, read here; they are written by
 * {@link ReconciliationRecords#linkEvent}, which needs no read of them first. So is its history (rows of
 * {@code reconciliation_history}, one per {@link PaymentState}, written by
 * {@link ReconciliationRecords#recordHistory}).
 */
@Entity
@Table(name = "reconciliation_record")
// Both locking reads lock by EclipseLink's hint rather than a JPA lock mode, so that they are prepared once (see
// LockingReads).
@NamedQuery(name = ReconciliationRecord.BY_TENANT_AND_KEY,
        query = "SELECT r FROM ReconciliationRecord r WHERE r.tenant = :tenant AND r.paymentKey = :paymentKey",
        hints = @QueryHint(name = LockingReads.PESSIMISTIC_LOCK, value = "Lock"))
// Each id is indexed (ix_reconciliation_invoice, _payment_intent, _charge, _session): the OR is a bitmap of four
// index scans.
@NamedQuery(name = ReconciliationRecord.OF_STRIPE_OBJECTS, query = """
        SELECT r FROM ReconciliationRecord r
        WHERE r.ids.invoiceId IN :ids OR r.ids.paymentIntentId IN :ids OR r.ids.chargeId IN :ids
           OR r.ids.checkoutSessionId IN :ids
        ORDER BY r.firstReceivedAt, r.paymentKey""")
// What support is told besides Stripe ids, each column indexed (ix_reconciliation_invoice_number, _order, _attempt,
// _store_order): a bitmap of four index scans.
@NamedQuery(name = ReconciliationRecord.BY_REFERENCE, query = """
        SELECT r FROM ReconciliationRecord r
        WHERE r.invoiceNumber = :reference OR r.orderId = :reference OR r.checkoutAttemptId = :reference
           OR r.storeOrderId = :reference
        ORDER BY r.firstReceivedAt, r.paymentKey""")
// ix_reconciliation_customer (customer_id), then the customer's records sorted: a customer has few enough.
@NamedQuery(name = ReconciliationRecord.OF_CUSTOMERS, query = """
        SELECT r FROM ReconciliationRecord r WHERE r.ids.customerId IN :customers
        ORDER BY r.firstReceivedAt DESC, r.paymentKey""")
// ix_reconciliation_subscription (subscription_id).
@NamedQuery(name = ReconciliationRecord.OF_SUBSCRIPTIONS, query = """
        SELECT r FROM ReconciliationRecord r WHERE r.ids.subscriptionId IN :subscriptions
        ORDER BY r.firstReceivedAt DESC, r.paymentKey""")
// ix_reconciliation_event_event (event_id) on the links, then the records by their key.
@NamedQuery(name = ReconciliationRecord.OF_EVENTS, query = """
        SELECT DISTINCT r FROM ReconciliationRecord r JOIN r.eventIds e WHERE e IN :events""")
@NamedQuery(name = ReconciliationRecord.BY_KEYS,
        query = "SELECT r FROM ReconciliationRecord r WHERE r.paymentKey IN :keys")
// Served by ix_reconciliation_store_check (store_check, updated_at).
@NamedQuery(name = ReconciliationRecord.WITH_STORE_CHECK, query = """
        SELECT r FROM ReconciliationRecord r WHERE r.storeCheck IN :checks
        ORDER BY r.updatedAt DESC, r.paymentKey""")
// Read and locked (FOR UPDATE) by JpaReconciliationRecords#openLocked, whatever the tenant: a record of another
// tenant under the key is an error to report, not a record to open again.
@NamedQuery(name = ReconciliationRecord.LOCKED_BY_KEY,
        query = "SELECT r FROM ReconciliationRecord r WHERE r.paymentKey = :" + LockingReads.ID,
        hints = @QueryHint(name = LockingReads.PESSIMISTIC_LOCK, value = "Lock"))
public class ReconciliationRecord {

    /**
     * The columns a record is first written with: every one an event can tell ({@link #recordEvent},
     * {@link #amountReported}), in the order of {@link #openedValues}.
     */
    static final String OPENED_COLUMNS = """
            payment_key, tenant_id, invoice_id, payment_intent_id, charge_id, checkout_session_id, subscription_id,
            customer_id, order_id, checkout_attempt_id, store_id, invoice_number, livemode, account_id, status,
            status_rank, first_received_at, reconciled_at, updated_at, retry_count, last_retry_at, amount, currency""";
    /** Typed: a null is bound as text ({@link io.billing.platform.persistence.StatementParameters}). */
    static final String OPENED_PLACEHOLDERS = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS BOOLEAN), ?, ?,"
            + " CAST(? AS INTEGER), CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS TIMESTAMP WITH TIME ZONE),"
            + " CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS INTEGER), CAST(? AS TIMESTAMP WITH TIME ZONE),"
            + " CAST(? AS BIGINT), ?";

    static final String LOCKED_BY_KEY = "ReconciliationRecord.lockedByKey";
    static final String BY_TENANT_AND_KEY = "ReconciliationRecord.byTenantAndKey";
    static final String OF_STRIPE_OBJECTS = "ReconciliationRecord.ofStripeObjects";
    static final String WITH_STORE_CHECK = "ReconciliationRecord.withStoreCheck";
    static final String BY_REFERENCE = "ReconciliationRecord.byReference";
    static final String OF_CUSTOMERS = "ReconciliationRecord.ofCustomers";
    static final String OF_SUBSCRIPTIONS = "ReconciliationRecord.ofSubscriptions";
    static final String OF_EVENTS = "ReconciliationRecord.ofEvents";
    static final String BY_KEYS = "ReconciliationRecord.byKeys";

    /** The width of the key, the internal ids and the store order id. */
    public static final int MAX_ID_LENGTH = 255;
    /** The width of the store's summary and of the check's detail. */
    public static final int MAX_TEXT_LENGTH = 2000;

    @Id
    @Column(name = "payment_key")
    private String paymentKey;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private TenantId tenant;

    @Embedded
    private PaymentIds ids;

    @Column(name = "order_id")
    private String orderId;

    @Column(name = "checkout_attempt_id")
    private String checkoutAttemptId;

    @Column(name = "store_order_id")
    private String storeOrderId;

    @Column(name = "store_summary")
    private String storeSummary;

    /** The store the order came from: the commerce API's {@code store_id}, else the metadata's. */
    @Column(name = "store_id")
    private String storeId;

    @Column(name = "invoice_number")
    private String invoiceNumber;

    /** Live or test mode, from the events' {@code livemode}; null for a record no event has told since it was kept. */
    @Column(name = "livemode")
    private Boolean livemode;

    /** The Stripe Connect account the payment's events came from; null for the platform's own. */
    @Column(name = "account_id")
    private String accountId;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false)
    private ReconciliationStatus status;

    /** The status's place on its ladder, kept beside it for the database's own readers. */
    @Column(name = "status_rank", nullable = false)
    private int statusRank;

    @Column(name = "first_received_at", nullable = false)
    private Instant firstReceivedAt;

    @Column(name = "reconciled_at")
    private Instant reconciledAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "retry_count", nullable = false)
    private int retryCount;

    @Column(name = "last_retry_at")
    private Instant lastRetryAt;

    /**
     * The payment's amount in minor units of {@link #currency}: what its own object asks (an invoice's total, a payment
     * intent's amount, a session's total), else what another of its objects said first; null until an event said.
     */
    @Column(name = "amount")
    private Long amount;

    /** The amount's currency, lower case as Stripe sends it. */
    @Column(name = "currency")
    private String currency;

    @Column(name = "paid_amount")
    private Long paidAmount;

    @Column(name = "paid_currency")
    private String paidCurrency;

    @Enumerated(EnumType.STRING)
    @Column(name = "store_check")
    private StoreCheck storeCheck;

    @Column(name = "store_check_detail")
    private String storeCheckDetail;

    @Column(name = "store_checked_at")
    private Instant storeCheckedAt;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "reconciliation_event", joinColumns = @JoinColumn(name = "payment_key"))
    @Column(name = "event_id")
    private Set<String> eventIds = new HashSet<>();

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "reconciliation_history", joinColumns = @JoinColumn(name = "payment_key"))
    private List<StateReached> history = new ArrayList<>();

    protected ReconciliationRecord() {
        // for the persistence provider
    }

    private ReconciliationRecord(String paymentKey, TenantId tenant, Instant receivedAt, Instant now) {
        this.paymentKey = requireId(paymentKey, "payment key");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.ids = PaymentIds.none();
        this.status = ReconciliationStatus.OPEN;
        this.statusRank = status.rank();
        this.firstReceivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
        this.updatedAt = Objects.requireNonNull(now, "now");
    }

    /** A new record for a payment first seen in an event received at {@code receivedAt}: open, nothing known yet. */
    public static ReconciliationRecord open(String paymentKey, TenantId tenant, Instant receivedAt, Instant now) {
        return new ReconciliationRecord(paymentKey, tenant, receivedAt, now);
    }

    /** This record's values for {@link #OPENED_COLUMNS}, in their order, as JDBC parameters. */
    Object[] openedValues() {
        PaymentIds known = ids();
        return new Object[] {paymentKey, tenant.value(), known.invoiceId(), known.paymentIntentId(), known.chargeId(),
            known.checkoutSessionId(), known.subscriptionId(), known.customerId(), orderId, checkoutAttemptId, storeId,
            invoiceNumber, livemode, accountId, status.name(), statusRank, firstReceivedAt, reconciledAt, updatedAt,
            retryCount, lastRetryAt, amount, currency};
    }

    /** Merges what one event says about the payment, whatever order the events arrive in. */
    public void recordEvent(PaymentEvent event, Instant now) {
        ids = ids().filledFrom(event.ids());
        if (orderId == null) {
            orderId = optionalId(event.orderId(), "order id");
        }
        if (checkoutAttemptId == null) {
            checkoutAttemptId = optionalId(event.checkoutAttemptId(), "checkout attempt id");
        }
        if (storeId == null) {
            storeId = optionalId(event.storeId(), "store id");
        }
        if (invoiceNumber == null) {
            invoiceNumber = optionalId(event.invoiceNumber(), "invoice number");
        }
        if (event.origin() != null) {
            // One payment's events all come from one mode and account; the first that tells keeps it.
            if (livemode == null) {
                livemode = event.origin().livemode();
            }
            if (accountId == null) {
                accountId = optionalId(event.origin().account(), "account id");
            }
        }
        if (event.status() != null && event.status().isAfter(status)) {
            status = event.status();
            statusRank = status.rank();
        }
        if (event.receivedAt().isBefore(firstReceivedAt)) {
            firstReceivedAt = event.receivedAt();
        }
        if (reconciledAt == null && event.status() == ReconciliationStatus.PAID) {
            reconciledAt = now;
        }
        if (event.retried()) {
            retryCount++;
            lastRetryAt = now;
        }
        updatedAt = now;
    }

    /**
     * What one of the payment's objects says it amounts to. The payment's own object (its invoice, payment intent or
     * session, whichever keys it) is the one that asks for the money, so its amount is kept whatever came before; the
     * amount of another (a charge, a session that created an invoice) only until the own object tells. So the record
     * ends with the same amount in every delivery order.
     *
     * @param own whether the object is the one that keys the payment
     */
    public void amountReported(Money reported, boolean own) {
        Objects.requireNonNull(reported, "reported");
        if (own || amount == null) {
            amount = reported.minorUnits();
            currency = reported.currency().getCurrencyCode().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Stores the commerce connector's check against the store order; a check resolved by hand stays resolved. The
     * store the commerce API names is the store the order came from, whatever the metadata said.
     *
     * @param storeId the store the commerce API holds the order in, or null when it did not say (or has no order)
     * @return whether the check was stored
     */
    public boolean storeChecked(Money paid, String storeOrderId, String storeId, String storeSummary, StoreCheck check,
                                String detail, Instant now) {
        Objects.requireNonNull(paid, "paid");
        Objects.requireNonNull(check, "check");
        if (storeCheck == StoreCheck.RESOLVED) {
            return false;
        }
        this.paidAmount = paid.minorUnits();
        this.paidCurrency = paid.currency().getCurrencyCode();
        this.storeOrderId = optionalId(storeOrderId, "store order id");
        if (storeId != null && !storeId.isBlank()) {
            this.storeId = optionalId(storeId, "store id");
        }
        this.storeSummary = bounded(storeSummary);
        this.storeCheck = check;
        this.storeCheckDetail = bounded(detail);
        this.storeCheckedAt = now;
        this.updatedAt = now;
        return true;
    }

    /** An operator's change of the store check (a retried lookup, a resolution by hand) and why. */
    public void markStoreCheck(StoreCheck check, String detail, Instant now) {
        this.storeCheck = Objects.requireNonNull(check, "check");
        this.storeCheckDetail = bounded(detail);
        this.updatedAt = now;
    }

    public String paymentKey() {
        return paymentKey;
    }

    public TenantId tenant() {
        return tenant;
    }

    public PaymentIds ids() {
        // The provider reads an embeddable whose columns are all null as no embeddable at all.
        return ids == null ? PaymentIds.none() : ids;
    }

    public String orderId() {
        return orderId;
    }

    public String checkoutAttemptId() {
        return checkoutAttemptId;
    }

    public String storeOrderId() {
        return storeOrderId;
    }

    public String storeSummary() {
        return storeSummary;
    }

    /** The store the order came from, or null when neither the commerce API nor the metadata named one. */
    public String storeId() {
        return storeId;
    }

    /** The invoice's number ({@code ACMETEST-0001}), or null for a payment without a finalized invoice. */
    public String invoiceNumber() {
        return invoiceNumber;
    }

    /** True in live mode, false in test mode, null while unknown (a record kept from before the mode was). */
    public Boolean livemode() {
        return livemode;
    }

    /** {@code live} or {@code test}; null while unknown. */
    public String mode() {
        return livemode == null ? null : livemode ? "live" : "test";
    }

    /** The Stripe Connect account the payment's events came from; null for the platform account's own. */
    public String accountId() {
        return accountId;
    }

    public ReconciliationStatus status() {
        return status;
    }

    public Instant firstReceivedAt() {
        return firstReceivedAt;
    }

    /** When the payment was first seen paid; null while it was not. */
    public Instant reconciledAt() {
        return reconciledAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    /** How many attempts of the payment's events were not their event's first. */
    public int retryCount() {
        return retryCount;
    }

    public Instant lastRetryAt() {
        return lastRetryAt;
    }

    /** The payment's amount ({@link #amountReported}); null until one of its events said. */
    public Money amount() {
        return amount == null ? null : Money.ofStripe(amount, currency);
    }

    /** What was paid, as the commerce connector compared it; null before its check. */
    public Money paid() {
        return paidAmount == null ? null : new Money(paidAmount, Money.currency(paidCurrency));
    }

    public StoreCheck storeCheck() {
        return storeCheck;
    }

    public String storeCheckDetail() {
        return storeCheckDetail;
    }

    public Instant storeCheckedAt() {
        return storeCheckedAt;
    }

    /** The events about the payment, by id. Read from the database on first use. */
    public List<String> eventIds() {
        return eventIds.stream().sorted().toList();
    }

    /** The payment's history, earliest first: each state once, when it was first reached. Read on first use. */
    public List<StateReached> history() {
        return history.stream().sorted(Comparator.comparing(StateReached::reachedAt)
                .thenComparing(StateReached::state)).toList();
    }

    private static String requireId(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a " + what + " is required");
        }
        if (value.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException("a " + what + " has at most " + MAX_ID_LENGTH + " characters");
        }
        return value;
    }

    private static String optionalId(String value, String what) {
        return value == null || value.isBlank() ? null : requireId(value, what);
    }

    /** Texts for people are cut to their column rather than refused. */
    private static String bounded(String text) {
        return text == null || text.length() <= MAX_TEXT_LENGTH ? text : text.substring(0, MAX_TEXT_LENGTH);
    }
}
