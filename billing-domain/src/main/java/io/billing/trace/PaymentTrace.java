package io.billing.trace;

import io.billing.checkout.CheckoutAttempt;
import io.billing.checkout.CheckoutAttempts;
import io.billing.ledger.LedgerAccount;
import io.billing.ledger.Money;
import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.DatabaseFailures;
import io.billing.reconciliation.ReconciliationRecord;
import io.billing.reconciliation.ReconciliationRecords;
import io.billing.reconciliation.StateReached;
import io.billing.stripe.objects.StripeObjectProjection;
import io.billing.tenant.JpaTenantRepository;
import io.billing.tenant.TenantId;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import java.sql.Blob;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Support's question, "what did this payment pay for?", from anything support is told: an event ({@code evt_}), any
 * Stripe id (an invoice {@code in_}, a charge {@code ch_} or {@code py_}, a payment intent {@code pi_}, a Checkout
 * Session {@code cs_}, a refund {@code re_}, a dispute {@code dp_} or {@code du_}, a subscription {@code sub_}, a
 * customer {@code cus_}, a credit note {@code cn_} …), a customer's e-mail address, a tenant id, an invoice number
 * ({@code ACMETEST-0001}), an internal order id of any format, a checkout attempt id or an external store order id.
 * The answer is a timeline: the events about the object (or, for a customer, a tenant or a payment found by what
 * the application or the store calls it, about all its objects) in Stripe's order with their processing status, the
 * objects' current state, every ledger posting of the payments (their payment, refunds, disputes and reversals,
 * whichever event posted each), the payments' reconciliation records with their history, and the outbound messages
 * the events caused. Support looks across tenants: any id leads to whatever it belongs to.
 *
 * <p>Each way in is one index lookup (see {@code docs/design.md}, "Admin queries on a large inbox"); the ids tried
 * in turn for a text of no Stripe shape (tenant, invoice number, order, checkout attempt, store order) are each one
 * too. One trace reads on one persistence context. The reconciliation records, the tenants and the checkout attempts
 * are entities, read through their repositories or by key; the other tables are read with SQL, each for the reason
 * given where it is read.
 */
public class PaymentTrace {

    /**
     * One line of the timeline, in Stripe's {@code created} order.
     *
     * @param payloadRemovedAt when data retention removed the event's raw body (its envelope, status and what it
     *                         changed stay); null while the body is kept
     * @param summary          what the event says in one line of plain words ({@link EventSummaries})
     */
    public record Event(String eventId, String type, Instant created, String objectId, String status,
                        String tenantId, String statusReason, Instant payloadRemovedAt, String summary) {

        Event withSummary(String line) {
            return new Event(eventId, type, created, objectId, status, tenantId, statusReason, payloadRemovedAt, line);
        }
    }

    public record ObjectState(String objectId, String objectType, String tenantId, String status, boolean deleted,
                              String lastEventType) {
    }

    /**
     * A ledger posting.
     *
     * @param currency   the posting's currency, lower case as Stripe sends it ({@code usd})
     * @param paymentKey the payment the posting belongs to; null for a posting filed under none
     * @param amount     what the posting moves, in minor units: the sum of its debits (which equals its credits')
     * @param lines      its lines in their order
     */
    public record Posting(String businessKey, String sourceEventId, String currency, String description,
                          Instant postedAt, String paymentKey, long amount, List<Line> lines) {
    }

    /**
     * One line of a posting: an account debited or credited, in minor units of its posting's currency (the other side
     * is 0).
     *
     * @param account a {@link LedgerAccount}'s name
     */
    public record Line(String account, long debit, long credit) {
    }

    /**
     * What a payment's postings add up to, in minor units of its currency, from the balances of the ledger's accounts
     * over every posting filed under it (reversals included):
     *
     * @param paid             what came into Stripe's balance for it: {@code net} with everything taken back added again
     * @param refunded         refunded (the refunds account)
     * @param disputed         taken by disputes when they opened (the disputes account's debits)
     * @param disputesReturned given back by disputes won (its credits)
     * @param fees             Stripe's fees its events tell: a dispute's; Stripe's events do not tell a card payment's
     * @param net              what it leaves in Stripe's balance: paid less refunds, disputes kept and fees
     */
    public record Totals(String currency, long paid, long refunded, long disputed, long disputesReturned, long fees,
                         long net) {

        /** The totals of the postings in this currency; null when none is. */
        static Totals of(String currency, List<Posting> postings) {
            long net = 0;
            long refunded = 0;
            long disputed = 0;
            long returned = 0;
            long fees = 0;
            boolean any = false;
            for (Posting posting : postings) {
                if (!posting.currency().equals(currency)) {
                    continue;
                }
                any = true;
                for (Line line : posting.lines()) {
                    switch (LedgerAccount.valueOf(line.account())) {
                        case STRIPE_BALANCE -> net += line.debit() - line.credit();
                        case REFUNDS -> refunded += line.debit() - line.credit();
                        case DISPUTES -> {
                            disputed += line.debit();
                            returned += line.credit();
                        }
                        case DISPUTE_FEES -> fees += line.debit() - line.credit();
                        default -> {
                            // receivables, revenue, bad debt: invoiced or written off, no money moved
                        }
                    }
                }
            }
            return any ? new Totals(currency, net + refunded + disputed - returned + fees, refunded, disputed,
                    returned, fees, net) : null;
        }
    }

    /** One state of a payment's history: when it was first reached, and by which event (null: a store check). */
    public record State(String state, Instant reachedAt, String eventId) {
    }

    /**
     * The checkout attempt the application started the payment with, as it stands: its own status follows the
     * session's events (open, payment pending, completed, payment failed, expired), and a generation above 0 says it
     * was sent to Stripe again under a new idempotency key after Stripe answered an error.
     *
     * @param errorCode the last error Stripe or the connection gave while creating its session; null if none
     * @param settledAt when it reached a final status; null while it is under way
     */
    public record Attempt(String attemptId, String tenantId, String orderId, String mode, String status,
                          String sessionId, int keyGeneration, String errorCode, Instant createdAt, Instant settledAt) {

        static Attempt of(CheckoutAttempt attempt) {
            return new Attempt(attempt.attemptId(), attempt.tenant().value(), attempt.orderId(),
                    attempt.mode().name().toLowerCase(Locale.ROOT), attempt.status().name(),
                    attempt.sessionId(), attempt.keyGeneration(), attempt.errorCode(), attempt.createdAt(),
                    attempt.settledAt());
        }
    }

    /**
     * A payment's reconciliation record: every id it links, what the application and the store call it, its mode
     * and origin, its status and history, and the events about it.
     *
     * @param mode      {@code live} or {@code test}; null for a record no event has told since it was first kept
     * @param accountId the Stripe Connect account its events came from; null for the platform's own
     * @param storeId   the store its order came from (the commerce API's, else the metadata's); null if unknown
     * @param history   each state once, at the earliest time it was reached, earliest first
     * @param checkoutAttempt the checkout attempt it was started with, by its id or its order; null for a payment
     *                  the application did not start through this service (a Payment Link's, an invoice's)
     * @param amount    what the payment amounts to in minor units of {@code currency} (its invoice's total, its
     *                  payment intent's amount, its session's total); for a record kept from before amounts were, what
     *                  its issue or payment posted; null while unknown
     * @param currency  the amount's currency, lower case as Stripe sends it
     * @param totals    what its postings add up to; null while nothing is posted for it
     */
    public record Payment(String paymentKey, String tenantId, String status, String invoiceId,
                          String paymentIntentId, String chargeId, String checkoutSessionId, String subscriptionId,
                          String customerId, String invoiceNumber, String orderId, String checkoutAttemptId,
                          String storeOrderId, String storeId, String mode, String accountId, String storeCheck,
                          Instant firstReceivedAt, Instant reconciledAt, int retryCount, Instant lastRetryAt,
                          List<State> history, List<String> eventIds, Long amount, String currency, Totals totals,
                          Attempt checkoutAttempt) {

        /**
         * The record with what is posted for it ({@code postings} may hold other payments' too) and its checkout
         * attempt, if it has one.
         */
        static Payment of(ReconciliationRecord record, List<Posting> postings, Optional<CheckoutAttempt> attempt) {
            List<Posting> its = postings.stream().filter(p -> record.paymentKey().equals(p.paymentKey())).toList();
            Money recorded = record.amount();
            Posting asked = recorded != null ? null : its.stream().filter(p -> p.businessKey().equals(record.paymentKey())
                    || p.businessKey().equals("invoice_issued:" + record.ids().invoiceId())).findFirst().orElse(null);
            Long amount = recorded != null ? Long.valueOf(recorded.minorUnits()) : asked == null ? null : asked.amount();
            String currency = recorded != null ? lowerCase(recorded.currency()) : asked == null ? null : asked.currency();
            String totalsIn = currency != null ? currency : its.isEmpty() ? null : its.get(0).currency();
            return new Payment(record.paymentKey(), record.tenant().value(), record.status().name(),
                    record.ids().invoiceId(), record.ids().paymentIntentId(), record.ids().chargeId(),
                    record.ids().checkoutSessionId(), record.ids().subscriptionId(), record.ids().customerId(),
                    record.invoiceNumber(), record.orderId(), record.checkoutAttemptId(), record.storeOrderId(),
                    record.storeId(), record.mode(), record.accountId(),
                    record.storeCheck() == null ? null : record.storeCheck().name(), record.firstReceivedAt(),
                    record.reconciledAt(), record.retryCount(), record.lastRetryAt(),
                    record.history().stream().map(PaymentTrace::state).toList(), record.eventIds(), amount, currency,
                    totalsIn == null ? null : Totals.of(totalsIn, its), attempt.map(Attempt::of).orElse(null));
        }
    }

    /** An outbound message one of the events caused (a notification, a connector call, an object read). */
    public record Message(String idempotencyKey, String destination, String sourceEventId, String status,
                          int attempts, Instant createdAt, Instant deliveredAt) {
    }

    /**
     * @param resolvedAs what the id was taken for: {@code event}, {@code object}, {@code customer}, {@code email},
     *                   {@code tenant}, {@code invoice_number}, {@code order}, {@code checkout_attempt} or
     *                   {@code store_order}
     */
    public record Trace(String id, String resolvedAs, List<ObjectState> objects, List<Event> events,
                        List<Posting> postings, List<Payment> payments, List<Message> messages) {
        public boolean found() {
            return !events.isEmpty() || !objects.isEmpty() || !payments.isEmpty();
        }
    }

    /** The Stripe id prefixes tried first, as objects (a customer's as the customer): no other id looks like them. */
    private static final List<String> STRIPE_PREFIXES = List.of("in_", "ch_", "py_", "pi_", "cs_", "re_", "pyr_",
            "dp_", "du_", "sub_", "cus_", "cn_");
    /**
     * The most events one trace lists: the newest, shown in Stripe's order. A customer, a tenant or a subscription of
     * some years has thousands; what support looks for is what happened last, and reading and summing up every body
     * of a long history took a customer's trace past 100 ms on ten million events.
     */
    public static final int MAX_EVENTS = 100;
    /**
     * The most payments one trace lists (a customer's, a subscription's), newest first. Each payment brings its
     * postings, lines and history: a customer with 125 payments took its trace past 100 ms on ten million events.
     */
    public static final int MAX_PAYMENTS = 50;
    /** The most objects an e-mail address leads to. */
    private static final int MAX_OBJECTS_OF_EMAIL = 1000;
    /** Ids per {@code IN} list, well below what either database takes as parameters of one statement. */
    private static final int IN_LIST = 500;

    /**
     * Read with SQL: the inbox's entity ({@code InboxEvent}) maps what the workers and the admin read of an event,
     * not the tenant and status reason a trace shows, and what the events' lines are made from.
     */
    private static final String EVENTS_SQL = "SELECT event_id, event_type, stripe_created, object_id, status,"
            + " tenant_id, status_reason, payload_removed_at, object_type, " + EventSummaries.LINE_COLUMNS
            + " FROM inbox_event WHERE %s"
            + " ORDER BY stripe_created DESC, event_id DESC LIMIT " + MAX_EVENTS;
    /** Object snapshots have no entity in this module's persistence unit: read with SQL, by key. */
    private static final String OBJECTS_SQL = "SELECT object_id, object_type, tenant_id, status, deleted, version_type"
            + " FROM stripe_object WHERE object_id IN (%s)";
    /** The customers (and guests' objects) an e-mail address names, by ix_stripe_object_email. */
    private static final String OBJECTS_OF_EMAIL_SQL = "SELECT object_id, object_type, customer_id FROM stripe_object"
            + " WHERE email = ? ORDER BY object_id LIMIT " + MAX_OBJECTS_OF_EMAIL;
    /**
     * Journal entries have no entity in this module's persistence unit: read with SQL, by the indexed
     * source_event_id and object_id, and through their payment ({@code journal_entry_payment}, by its key, then each
     * entry and its reversal by the entry's unique key).
     */
    private static final String POSTINGS_SQL = "SELECT e.business_key, e.source_event_id, e.currency, e.description,"
            + " e.posted_at, e.entry_id, p.payment_key FROM journal_entry e"
            + " LEFT JOIN journal_entry_payment p ON p.tenant_id = e.tenant_id AND p.business_key = e.business_key"
            + " WHERE e.%s IN (%s)";
    /** A posting's lines, by the key of journal_line (entry, line number). */
    private static final String LINES_SQL = "SELECT entry_id, account, debit, credit FROM journal_line"
            + " WHERE entry_id IN (%s) ORDER BY entry_id, line_no";
    private static final String POSTINGS_OF_PAYMENTS_SQL = "SELECT e.business_key, e.source_event_id, e.currency,"
            + " e.description, e.posted_at, e.entry_id, p.payment_key FROM journal_entry_payment p"
            + " JOIN journal_entry e ON e.tenant_id = p.tenant_id AND e.business_key = %s"
            + " WHERE p.payment_key IN (%s)";
    /** A fact's reversal is posted under its own key; joined on that key, so that each is found by the unique key. */
    private static final String REVERSAL_KEY = "'reversal:' || p.business_key";
    /** The outbox is the engine's plain-SQL table, without an entity. */
    private static final String MESSAGES_SQL = "SELECT idempotency_key, destination, source_event_id, status,"
            + " attempt_count, created_at, delivered_at FROM outbox_message WHERE source_event_id IN (%s)";

    private final DataAccess data;

    public PaymentTrace(DataAccess data) {
        this.data = data;
    }

    public Trace trace(String id) throws SQLException {
        String wanted = id == null ? null : id.trim();
        if (wanted == null || wanted.isEmpty() || wanted.length() > 255) {
            throw new IllegalArgumentException("an id of 1 to 255 characters is required");
        }
        return DatabaseFailures.read(data, entityManager -> new Reading(entityManager).trace(wanted));
    }

    /** A payment's reconciliation record by its key, whatever its tenant (the operator API); empty if none. */
    public Optional<Payment> payment(String paymentKey) throws SQLException {
        if (paymentKey == null || paymentKey.isBlank() || paymentKey.length() > 255) {
            throw new IllegalArgumentException("a payment key of 1 to 255 characters is required");
        }
        return DatabaseFailures.read(data, entityManager -> new Reading(entityManager).payment(paymentKey));
    }

    /**
     * One checkout attempt by the id the application logged, whatever its tenant: also one whose session no event
     * has told of yet (still open, or never created because Stripe refused it).
     */
    public Optional<Attempt> attempt(String attemptId) throws SQLException {
        if (attemptId == null || attemptId.isBlank() || attemptId.length() > CheckoutAttempt.MAX_ID_LENGTH) {
            throw new IllegalArgumentException("an attempt id of 1 to " + CheckoutAttempt.MAX_ID_LENGTH
                    + " characters is required");
        }
        return DatabaseFailures.read(data, entityManager -> Optional.ofNullable(
                entityManager.find(CheckoutAttempt.class, attemptId)).map(Attempt::of));
    }

    /** One trace's reads, on one persistence context. */
    private static final class Reading {

        private final EntityManager entityManager;
        private final ReconciliationRecords records;
        private final CheckoutAttempts attempts;
        /** The bodies of the events read, by event id, for their lines; none for a body data retention removed. */
        private final Map<String, EventSummaries.Stored> stored = new HashMap<>();

        Reading(EntityManager entityManager) {
            this.entityManager = entityManager;
            this.records = ReconciliationRecords.of(entityManager);
            this.attempts = CheckoutAttempts.of(entityManager);
        }

        /** One payment's record with its postings, by its key. */
        Optional<Payment> payment(String paymentKey) {
            return records.byKeysAcrossTenants(List.of(paymentKey)).stream().findFirst().map(record -> Payment.of(
                    record, postings(Set.of(), Set.of(), Set.of(paymentKey)),
                    Optional.ofNullable(attemptsOf(List.of(record)).get(record.paymentKey()))));
        }

        /**
         * The checkout attempt of each payment that has one, by payment key: the attempt its record names, else the
         * attempt of its order. Read per tenant in two queries at most, not twice per payment.
         */
        private Map<String, CheckoutAttempt> attemptsOf(Collection<ReconciliationRecord> payments) {
            Map<String, CheckoutAttempt> byPayment = new HashMap<>();
            Map<TenantId, List<ReconciliationRecord>> byTenant = new LinkedHashMap<>();
            payments.forEach(record -> byTenant.computeIfAbsent(record.tenant(), t -> new ArrayList<>()).add(record));
            byTenant.forEach((tenant, records) -> {
                Set<String> attemptIds = new LinkedHashSet<>();
                Set<String> orderIds = new LinkedHashSet<>();
                for (ReconciliationRecord record : records) {
                    Optional.ofNullable(record.checkoutAttemptId()).ifPresent(attemptIds::add);
                    Optional.ofNullable(record.orderId()).ifPresent(orderIds::add);
                }
                if (attemptIds.isEmpty() && orderIds.isEmpty()) {
                    return;
                }
                List<CheckoutAttempt> found = attempts.findByIdsOrOrders(tenant, attemptIds, orderIds);
                for (ReconciliationRecord record : records) {
                    found.stream().filter(a -> a.attemptId().equals(record.checkoutAttemptId())).findFirst()
                            .or(() -> found.stream().filter(a -> a.orderId().equals(record.orderId())).findFirst())
                            .ifPresent(attempt -> byPayment.put(record.paymentKey(), attempt));
                }
            });
            return byPayment;
        }

        Trace trace(String id) {
            if (id.startsWith("evt_")) {
                Trace ofEvent = ofEvent(id);
                if (ofEvent.found()) {
                    return ofEvent;
                }
            }
            if (id.contains("@")) {
                Trace ofEmail = ofEmail(id);
                if (ofEmail.found()) {
                    return ofEmail;
                }
            }
            Trace ofObject = null;
            if (STRIPE_PREFIXES.stream().anyMatch(id::startsWith)) {
                ofObject = id.startsWith("cus_") ? ofCustomers(id, "customer", Set.of(id), Set.of()) : ofObject(id);
                if (ofObject.found()) {
                    return ofObject;
                }
            }
            if (new JpaTenantRepository(entityManager).find(TenantId.of(id)).isPresent()) {
                return assemble(id, "tenant", events("tenant_id = ?", id), List.of(), Set.of());
            }
            List<ReconciliationRecord> named = records.byReferenceAcrossTenants(id);
            if (!named.isEmpty()) {
                return ofPayments(id, referenceKind(named, id), named);
            }
            CheckoutAttempt attempt = entityManager.find(CheckoutAttempt.class, id);
            if (attempt != null && attempt.sessionId() != null) {
                // An attempt none of whose events named it (a session still open, say): its session's timeline.
                Trace ofSession = ofObject(attempt.sessionId());
                return new Trace(id, "checkout_attempt", ofSession.objects(), ofSession.events(),
                        ofSession.postings(), ofSession.payments(), ofSession.messages());
            }
            return ofObject != null ? ofObject : ofObject(id);
        }

        /** An event: its object's whole timeline (or the event alone, if it has no object). */
        private Trace ofEvent(String eventId) {
            List<Event> one = events("event_id = ?", eventId);
            String objectId = one.isEmpty() ? null : one.get(0).objectId();
            return assemble(eventId, "event", objectId == null ? one : events("object_id = ?", objectId), List.of(),
                    Set.of());
        }

        /**
         * A Stripe object: its events, and every payment it belongs to, by its own id or through its events (a
         * refund's, a dispute's, a credit note's payment), a subscription's every payment.
         */
        private Trace ofObject(String objectId) {
            List<ReconciliationRecord> ofSubscription = objectId.startsWith("sub_")
                    ? records.ofSubscriptionsAcrossTenants(List.of(objectId), MAX_PAYMENTS) : List.of();
            return assemble(objectId, "object", events("object_id = ?", objectId), ofSubscription, Set.of(objectId));
        }

        /** Customers (a {@code cus_}, or those an e-mail address names): their events and every payment of theirs. */
        private Trace ofCustomers(String id, String resolvedAs, Set<String> customers, Set<String> guestObjects) {
            List<Event> events = new ArrayList<>();
            for (String customer : customers) {
                events.addAll(events("customer_id = ? OR object_id = ?", customer, customer));
            }
            for (List<String> chunk : chunks(guestObjects)) {
                events.addAll(events("object_id IN (" + marks(chunk.size()) + ")", chunk.toArray()));
            }
            List<ReconciliationRecord> theirs = new ArrayList<>(
                    records.ofCustomersAcrossTenants(customers, MAX_PAYMENTS));
            theirs.addAll(records.ofStripeObjectsAcrossTenants(guestObjects));
            Set<String> objectIds = new LinkedHashSet<>(customers);
            objectIds.addAll(guestObjects);
            return assemble(id, resolvedAs, inOrder(events), theirs, objectIds);
        }

        /**
         * An e-mail address: the customers whose objects name it (the customer itself, or an invoice, charge or
         * session that carries it), and the objects of buyers without a customer (a guest's Checkout Session).
         */
        private Trace ofEmail(String email) {
            String normalised = StripeObjectProjection.normalisedEmail(email);
            Set<String> customers = new LinkedHashSet<>();
            Set<String> guestObjects = new LinkedHashSet<>();
            if (normalised != null) {
                for (Object[] row : rows(OBJECTS_OF_EMAIL_SQL, normalised)) {
                    String customer = "customer".equals(row[1]) ? (String) row[0] : (String) row[2];
                    if (customer != null) {
                        customers.add(customer);
                    } else {
                        guestObjects.add((String) row[0]);
                    }
                }
            }
            return ofCustomers(email, "email", customers, guestObjects);
        }

        /** Payments found by what the application or the store calls them: all their objects' events. */
        private Trace ofPayments(String id, String resolvedAs, List<ReconciliationRecord> found) {
            Set<String> objectIds = new LinkedHashSet<>();
            Set<String> eventIds = new LinkedHashSet<>();
            for (ReconciliationRecord record : found) {
                objectIds.addAll(stripeIds(record));
                eventIds.addAll(record.eventIds());
            }
            List<Event> events = new ArrayList<>();
            for (List<String> chunk : chunks(objectIds)) {
                events.addAll(events("object_id IN (" + marks(chunk.size()) + ")", chunk.toArray()));
            }
            for (List<String> chunk : chunks(eventIds)) {
                events.addAll(events("event_id IN (" + marks(chunk.size()) + ")", chunk.toArray()));
            }
            return assemble(id, resolvedAs, inOrder(events), found, objectIds);
        }

        /**
         * The trace of these events and of the payments found so far: every object the events are about (and
         * {@code moreObjects}), the payments of those objects and events, their objects' states, every posting of
         * the events, the objects and the payments, and the messages the events caused.
         */
        private Trace assemble(String id, String resolvedAs, List<Event> events, List<ReconciliationRecord> found,
                               Set<String> moreObjects) {
            Set<String> objectIds = new LinkedHashSet<>();
            Set<String> eventIds = new LinkedHashSet<>();
            for (Event event : events) {
                if (event.objectId() != null) {
                    objectIds.add(event.objectId());
                }
                eventIds.add(event.eventId());
            }
            objectIds.addAll(moreObjects);
            Map<String, ReconciliationRecord> payments = new LinkedHashMap<>();
            found.forEach(record -> payments.putIfAbsent(record.paymentKey(), record));
            for (List<String> chunk : chunks(objectIds)) {
                records.ofStripeObjectsAcrossTenants(chunk).forEach(r -> payments.putIfAbsent(r.paymentKey(), r));
            }
            for (List<String> chunk : chunks(eventIds)) {
                records.ofEventsAcrossTenants(chunk).forEach(r -> payments.putIfAbsent(r.paymentKey(), r));
            }
            // One payment may have two records (a session that also created an invoice, an invoice of an older API
            // version that names its payment intent): the records of the ids the records found name are its too.
            Set<String> shownObjects = new LinkedHashSet<>(objectIds);
            payments.values().forEach(record -> shownObjects.addAll(stripeIds(record)));
            List<String> named = shownObjects.stream().filter(objectId -> !objectIds.contains(objectId)).toList();
            for (List<String> chunk : chunks(named)) {
                records.ofStripeObjectsAcrossTenants(chunk).forEach(r -> payments.putIfAbsent(r.paymentKey(), r));
            }
            List<ReconciliationRecord> ordered = new ArrayList<>(payments.values());
            ordered.sort(Comparator.comparing(ReconciliationRecord::firstReceivedAt)
                    .thenComparing(ReconciliationRecord::paymentKey));
            List<Posting> postings = postings(eventIds, objectIds, payments.keySet());
            Map<String, CheckoutAttempt> attemptOfPayment = attemptsOf(ordered);
            return new Trace(id, resolvedAs, objects(shownObjects), summedUp(events, payments.values()), postings,
                    ordered.stream().map(record -> Payment.of(record, postings,
                            Optional.ofNullable(attemptOfPayment.get(record.paymentKey())))).toList(),
                    messages(eventIds));
        }

        /**
         * The events with their lines. The payments their refunds and disputes take money from are named by the
         * records found (the trace holds a refund's payment), else by the records of those ids.
         */
        private List<Event> summedUp(List<Event> events, Collection<ReconciliationRecord> found) {
            List<EventSummaries.Stored> bodies = events.stream().map(event -> stored.get(event.eventId())).toList();
            List<String> lines;
            try {
                lines = EventSummaries.of(bodies, ids -> {
                    Map<String, String> names = new HashMap<>();
                    found.forEach(record -> name(names, record));
                    List<String> unnamed = ids.stream().filter(stripeId -> !names.containsKey(stripeId)).toList();
                    for (List<String> chunk : chunks(unnamed)) {
                        records.ofStripeObjectsAcrossTenants(chunk).forEach(record -> name(names, record));
                    }
                    return names;
                });
            } catch (SQLException cannot) {
                throw new IllegalStateException(cannot); // the lookup above reads through JPA and throws no SQLException
            }
            List<Event> summed = new ArrayList<>(events.size());
            for (int i = 0; i < events.size(); i++) {
                summed.add(events.get(i).withSummary(lines.get(i)));
            }
            return summed;
        }

        private List<Event> events(String condition, Object... parameters) {
            List<Event> events = new ArrayList<>();
            for (Object[] row : rows(EVENTS_SQL.formatted(condition), parameters)) {
                Event event = new Event((String) row[0], (String) row[1], instant(row[2]), (String) row[3],
                        (String) row[4], (String) row[5], (String) row[6], instant(row[7]), null);
                events.add(event);
                stored.putIfAbsent(event.eventId(), new EventSummaries.Stored(event.type(), (String) row[8],
                        event.objectId(), bytes(row[10]), (String) row[9]));
            }
            Collections.reverse(events); // read newest first, to keep the newest; shown in Stripe's order
            return events;
        }

        private List<ObjectState> objects(Set<String> objectIds) {
            Map<String, ObjectState> byId = new LinkedHashMap<>();
            for (List<String> chunk : chunks(objectIds)) {
                for (Object[] row : rows(OBJECTS_SQL.formatted(marks(chunk.size())), chunk.toArray())) {
                    byId.put((String) row[0], new ObjectState((String) row[0], (String) row[1], (String) row[2],
                            (String) row[3], Boolean.TRUE.equals(row[4]), (String) row[5]));
                }
            }
            // In the order the ids were found: the object asked for first.
            List<ObjectState> objects = new ArrayList<>();
            for (String objectId : objectIds) {
                if (byId.containsKey(objectId)) {
                    objects.add(byId.get(objectId));
                }
            }
            return objects;
        }

        /**
         * The postings the events made, any posting about one of the objects, and every posting filed under one of
         * the payments with its reversal, whichever event posted it; each once, in the order they were posted.
         */
        private List<Posting> postings(Set<String> eventIds, Set<String> objectIds, Set<String> paymentKeys) {
            Map<Long, Posting> byEntry = new LinkedHashMap<>();
            // The payments' first: a reversal found through them is shown with its payment.
            collect(byEntry, paymentKeys, ids -> POSTINGS_OF_PAYMENTS_SQL.formatted("p.business_key", ids));
            collect(byEntry, paymentKeys, ids -> POSTINGS_OF_PAYMENTS_SQL.formatted(REVERSAL_KEY, ids));
            collect(byEntry, eventIds, ids -> POSTINGS_SQL.formatted("source_event_id", ids));
            collect(byEntry, objectIds, ids -> POSTINGS_SQL.formatted("object_id", ids));
            Map<Long, List<Line>> lines = lines(byEntry.keySet());
            List<Posting> postings = new ArrayList<>(byEntry.size());
            byEntry.forEach((entry, posting) -> {
                List<Line> its = lines.getOrDefault(entry, List.of());
                postings.add(new Posting(posting.businessKey(), posting.sourceEventId(), posting.currency(),
                        posting.description(), posting.postedAt(), posting.paymentKey(),
                        its.stream().mapToLong(Line::debit).sum(), its));
            });
            postings.sort(Comparator.comparing(Posting::postedAt).thenComparing(Posting::businessKey));
            return postings;
        }

        private void collect(Map<Long, Posting> byEntry, Set<String> keys, Function<String, String> sql) {
            for (List<String> chunk : chunks(keys)) {
                for (Object[] row : rows(sql.apply(marks(chunk.size())), chunk.toArray())) {
                    byEntry.putIfAbsent(((Number) row[5]).longValue(), new Posting((String) row[0], (String) row[1],
                            ((String) row[2]).toLowerCase(Locale.ROOT), (String) row[3], instant(row[4]),
                            (String) row[6], 0, List.of()));
                }
            }
        }

        /** The lines of these entries, by entry, each in its order. */
        private Map<Long, List<Line>> lines(Set<Long> entries) {
            Map<Long, List<Line>> lines = new HashMap<>();
            List<String> ids = entries.stream().map(String::valueOf).toList();
            for (List<String> chunk : chunks(ids)) {
                Object[] parameters = chunk.stream().map(Long::valueOf).toArray();
                for (Object[] row : rows(LINES_SQL.formatted(marks(chunk.size())), parameters)) {
                    lines.computeIfAbsent(((Number) row[0]).longValue(), entry -> new ArrayList<>()).add(new Line(
                            (String) row[1], ((Number) row[2]).longValue(), ((Number) row[3]).longValue()));
                }
            }
            return lines;
        }

        /** The outbound messages the events caused, oldest first. */
        private List<Message> messages(Set<String> eventIds) {
            List<Message> messages = new ArrayList<>();
            for (List<String> chunk : chunks(eventIds)) {
                for (Object[] row : rows(MESSAGES_SQL.formatted(marks(chunk.size())), chunk.toArray())) {
                    messages.add(new Message((String) row[0], (String) row[1], (String) row[2], (String) row[3],
                            ((Number) row[4]).intValue(), instant(row[5]), instant(row[6])));
                }
            }
            messages.sort(Comparator.comparing(Message::createdAt).thenComparing(Message::idempotencyKey));
            return messages;
        }

        /** A native query's rows, each as an array of its columns (a one-column row too). */
        private List<Object[]> rows(String sql, Object... parameters) {
            Query query = entityManager.createNativeQuery(sql);
            for (int i = 0; i < parameters.length; i++) {
                query.setParameter(i + 1, parameters[i]);
            }
            List<Object[]> rows = new ArrayList<>();
            for (Object row : query.getResultList()) {
                rows.add(row instanceof Object[] columns ? columns : new Object[] {row});
            }
            return rows;
        }
    }

    /** What the records were found by: the invoice number, else the order, the checkout attempt, the store order. */
    private static String referenceKind(List<ReconciliationRecord> found, String id) {
        if (found.stream().anyMatch(r -> id.equals(r.invoiceNumber()))) {
            return "invoice_number";
        }
        if (found.stream().anyMatch(r -> id.equals(r.orderId()))) {
            return "order";
        }
        return found.stream().anyMatch(r -> id.equals(r.checkoutAttemptId())) ? "checkout_attempt" : "store_order";
    }

    /** The Stripe objects a payment's record names: its invoice, payment intent, charge, session, subscription. */
    private static List<String> stripeIds(ReconciliationRecord record) {
        List<String> ids = new ArrayList<>();
        for (String id : new String[] {record.ids().invoiceId(), record.ids().paymentIntentId(),
                record.ids().chargeId(), record.ids().checkoutSessionId(), record.ids().subscriptionId()}) {
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** What people call the record's payment, under its payment intent and its charge. */
    private static void name(Map<String, String> names, ReconciliationRecord record) {
        PaymentNames.name(names, record.ids().paymentIntentId(), record.ids().chargeId(), record.invoiceNumber(),
                record.orderId());
    }

    private static String lowerCase(java.util.Currency currency) {
        return currency.getCurrencyCode().toLowerCase(Locale.ROOT);
    }

    /** A binary column's value as the driver gives it: bytes, or a Blob; null for none. */
    private static byte[] bytes(Object value) {
        if (value instanceof Blob blob) {
            try {
                return blob.getBytes(1, Math.toIntExact(blob.length()));
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read an event's body", e);
            }
        }
        return (byte[]) value;
    }

    private static State state(StateReached reached) {
        return new State(reached.state().name(), reached.reachedAt(), reached.eventId());
    }

    /** Events gathered from several lookups: each once, in Stripe's order, the newest {@value #MAX_EVENTS}. */
    private static List<Event> inOrder(List<Event> events) {
        Map<String, Event> byId = new LinkedHashMap<>();
        events.forEach(event -> byId.putIfAbsent(event.eventId(), event));
        List<Event> ordered = new ArrayList<>(byId.values());
        ordered.sort(Comparator.comparing(Event::created).thenComparing(Event::eventId));
        return ordered.size() > MAX_EVENTS ? ordered.subList(ordered.size() - MAX_EVENTS, ordered.size()) : ordered;
    }

    private static List<List<String>> chunks(Collection<String> ids) {
        List<String> all = new ArrayList<>(ids);
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += IN_LIST) {
            chunks.add(all.subList(from, Math.min(all.size(), from + IN_LIST)));
        }
        return chunks;
    }

    /** {@code ?, ?, …}: the parameter marks of an {@code IN} list. */
    private static String marks(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    /** A timestamp column's value as the driver gives it: a Timestamp (PostgreSQL) or an OffsetDateTime (H2). */
    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        return (Instant) value;
    }
}
