package io.billing.tenant;

import com.google.gson.JsonObject;
import io.billing.platform.persistence.UnitOfWork;
import io.billing.processing.handler.InboxWorkItem;
import io.billing.processing.handler.TenantResolver;
import io.billing.stripe.StripeEventJson;
import io.billing.stripe.view.CheckoutSessionView;
import io.billing.stripe.view.InvoiceView;
import io.billing.stripe.view.PaymentReversalView;
import io.billing.stripe.view.StripeObjectView;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Finds an event's tenant. A tenant an operator assigned to the event by hand comes first; then what
 * Stripe sends, in this order:
 * <ol>
 *   <li>the object's own {@code metadata.tenant_id} (or the configured metadata keys, in order);</li>
 *   <li>on invoices, the subscription's metadata as the invoice carries it (see
 *       {@link InvoiceView#subscriptionMetadata});</li>
 *   <li>on Checkout Sessions, {@code client_reference_id}, where it is the product's and not a buyer's: on a
 *       session this service created (its checkout attempt is known, for that tenant), or, when configured, on any
 *       session (see below);</li>
 *   <li>the mapping of the Stripe Connect account the event came from, if there is one (it must agree
 *       with what the event names);</li>
 *   <li>the mapping of the event's customer;</li>
 *   <li>on disputes and refunds, the tenant already known for their charge or payment intent.</li>
 * </ol>
 * A tenant read from the event for a customer without a mapping records the mapping, so that later
 * events without metadata resolve. A tenant read from the event that contradicts the customer's mapping
 * is never guessed between: the event is parked as unmapped with both names in the reason.
 *
 * <p>{@code client_reference_id} is set by whoever creates the session, and on a Payment Link's session by whoever
 * opens the link (it is a parameter of the link's URL). Taken as the tenant, and remembered as the customer's
 * mapping, it would let a buyer file a purchase under any tenant and keep the customer there. So it counts only on
 * sessions this service created, whose attempt it recorded before calling Stripe ({@code checkout_attempt} by the
 * attempt id in the session's metadata, for the same tenant). With {@code trustClientReferenceIds} (for applications
 * that create their sessions on their own server) it counts on other sessions too, but a mapping is never learnt from
 * a Payment Link's. Elsewhere it is left out: the customer's mapping decides, or the event parks, its reason naming
 * the value that was not taken.
 *
 * <p>A dispute or refund whose payment this service has never seen (Stripe puts neither customer nor
 * metadata on a dispute) parks waiting for that payment, and asks the {@link PaymentLookup} to read it
 * from the Stripe API; its arrival re-queues the parked event.
 */
public final class StripeTenantResolver implements TenantResolver {

    /**
     * The tenant of a payment a refund or dispute belongs to, from the object snapshots (by primary key). The
     * snapshots are the Stripe objects' own table, not this package's; the query reads that one column of it.
     */
    private static final String OBJECT_TENANT_SQL = "SELECT tenant_id FROM stripe_object WHERE object_id = ?";

    /**
     * Whether this service created a Checkout Session for a tenant: its checkout attempt (by primary key), for that
     * tenant, and for that Checkout Session once Stripe's answer named it. The checkout's own table, read for that one fact,
     * as the object snapshots' are above.
     */
    private static final String CREATED_SESSION_SQL = "SELECT 1 FROM checkout_attempt"
            + " WHERE attempt_id = ? AND tenant_id = ? AND (session_id IS NULL OR session_id = ?)";

    /** The metadata key the application writes the tenant id under, unless configured otherwise. */
    public static final List<String> DEFAULT_METADATA_KEYS = List.of("tenant_id");

    /** Fetches a payment this service has not seen, so that what depends on it can resolve. */
    @FunctionalInterface
    public interface PaymentLookup {
        /** Without a Stripe API to ask, parked events wait for the payment's own events or an operator. */
        PaymentLookup NONE = (connection, paymentId, forEventId, now) -> { };

        /** Asks for the payment to be read, in the caller's transaction (so only if the parking commits). */
        void requestRead(Connection connection, String paymentId, String forEventId, Instant now) throws SQLException;
    }

    private final TenantMappings mappings;
    private final List<String> metadataKeys;
    private final PaymentLookup paymentLookup;
    private final boolean trustClientReferenceIds;

    public StripeTenantResolver(TenantMappings mappings) {
        this(mappings, DEFAULT_METADATA_KEYS, PaymentLookup.NONE);
    }

    /** A resolver that takes {@code client_reference_id} on the sessions this service created only. */
    public StripeTenantResolver(TenantMappings mappings, List<String> metadataKeys, PaymentLookup paymentLookup) {
        this(mappings, metadataKeys, paymentLookup, false);
    }

    /**
     * @param metadataKeys            the metadata keys that name the tenant, tried in order (for example an
     *                                application that writes {@code workspace_id} instead of {@code tenant_id})
     * @param trustClientReferenceIds take {@code client_reference_id} as the tenant on sessions this service did not
     *                                create too (never learning a mapping from a Payment Link's)
     */
    public StripeTenantResolver(TenantMappings mappings, List<String> metadataKeys, PaymentLookup paymentLookup,
                                boolean trustClientReferenceIds) {
        if (metadataKeys.isEmpty()) {
            throw new IllegalArgumentException("at least one tenant metadata key is needed");
        }
        this.mappings = mappings;
        this.metadataKeys = List.copyOf(metadataKeys);
        this.paymentLookup = paymentLookup;
        this.trustClientReferenceIds = trustClientReferenceIds;
    }

    /**
     * The mapping look-ups go through the tenant repository on the event's unit of work: one look-up by primary key
     * each, none for a mapping an earlier event of the batch found ({@link io.billing.platform.persistence.UnitReads}).
     * The customer of an event that names its tenant is looked up and, if it has no mapping, mapped in one statement
     * ({@link TenantRepository#mapUnlessMapped}).
     */
    @Override
    public Resolution resolve(InboxWorkItem event, StripeEventJson json, UnitOfWork unit) throws SQLException {
        if (event.assignedTenantId() != null) {
            return Resolution.of(event.assignedTenantId(), "an operator's assignment"); // outranks every clue
        }
        TenantRepository tenants = new JpaTenantRepository(unit.entityManager());
        JsonObject object = json.dataObject();
        Connection connection = unit.connection();
        Named named = namedBy(connection, event.objectType(), object);
        String fromEvent = named == null ? null : named.tenant();
        String customer = event.customerId();
        String byAccount = event.account() == null ? null
                : tenants.tenantOfAccount(event.account()).map(TenantId::value).orElse(null);
        if (byAccount != null) {
            if (fromEvent != null && !fromEvent.equals(byAccount)) {
                return Resolution.unmapped("conflict: the event names tenant " + fromEvent + " but account "
                        + event.account() + " is mapped to " + byAccount, null);
            }
            return Resolution.of(byAccount, "the mapping of Connect account " + event.account());
        }
        // A customer the event names a tenant for is mapped to it unless it is mapped already, and the same round
        // trip says to whom (a conflict is never recorded: the mapping there stays).
        boolean learns = fromEvent != null && customer != null && named.learnable();
        Optional<TenantId> mapping = learns
                ? mappings.learn(unit, customer, TenantId.of(fromEvent), "event " + event.eventId(), mappings.now())
                : customer == null ? Optional.empty() : tenants.tenantOfCustomer(customer);
        String mapped = mapping.map(TenantId::value).orElse(null);
        if (fromEvent != null) {
            if (mapped != null && !mapped.equals(fromEvent)) {
                return Resolution.unmapped("conflict: the event names tenant " + fromEvent + " but customer "
                        + customer + " is mapped to " + mapped, null);
            }
            return Resolution.of(fromEvent, named.source());
        }
        if (mapped != null) {
            return Resolution.of(mapped, "the mapping of customer " + customer);
        }
        String viaPayment = tenantOfRelatedPayment(connection, event.objectType(), object);
        if (viaPayment != null) {
            return Resolution.of(viaPayment, "its payment " + relatedPayment(event.objectType(), object));
        }
        String untrusted = untrustedClientReference(event.objectType(), object);
        if (customer != null) {
            return Resolution.unmapped("no tenant metadata and no mapping for customer " + customer + untrusted,
                    customer);
        }
        String payment = relatedPayment(event.objectType(), object);
        if (payment != null) {
            paymentLookup.requestRead(connection, payment, event.eventId(), mappings.now());
            return Resolution.unmapped("no tenant metadata and no customer on " + event.objectType() + " "
                    + event.objectId() + ", and its payment " + payment + " is not known yet (asked the Stripe API)",
                    payment);
        }
        return Resolution.unmapped("no tenant metadata and no customer on " + event.objectType() + " "
                + event.objectId() + untrusted, null);
    }

    /**
     * A tenant the event names, where, and whether the customer's mapping may be learnt from it (not from what a
     * buyer may have chosen).
     */
    private record Named(String tenant, String source, boolean learnable) {
    }

    private Named namedBy(Connection connection, String objectType, JsonObject object) throws SQLException {
        String tenant = fromMetadata(StripeObjectView.of(object)::metadata);
        if (tenant != null) {
            return new Named(tenant, "the object's metadata", true);
        }
        if ("invoice".equals(objectType)) {
            tenant = fromMetadata(InvoiceView.of(object)::subscriptionMetadata);
            if (tenant != null) {
                return new Named(tenant, "the invoice's subscription metadata", true);
            }
        }
        if ("checkout.session".equals(objectType)) {
            CheckoutSessionView session = CheckoutSessionView.of(object);
            tenant = blankToNull(session.clientReferenceId());
            if (tenant != null && createdHere(connection, session, tenant)) {
                return new Named(tenant, "the client_reference_id of a session this service created", true);
            }
            if (tenant != null && trustClientReferenceIds) {
                return new Named(tenant, "the session's client_reference_id", session.paymentLink() == null);
            }
        }
        return null;
    }

    /** Whether this service created the session, for the tenant its {@code client_reference_id} names. */
    private static boolean createdHere(Connection connection, CheckoutSessionView session, String tenant)
            throws SQLException {
        String attempt = session.checkoutAttemptId();
        if (attempt == null) {
            return false;
        }
        try (PreparedStatement query = connection.prepareStatement(CREATED_SESSION_SQL)) {
            query.setString(1, attempt);
            query.setString(2, tenant);
            query.setString(3, session.id());
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        }
    }

    /**
     * For an unmapped event's reason: the {@code client_reference_id} of a Checkout Session that was not taken as its
     * tenant (when the event named none, a session's value was left out; see the class comment), or nothing.
     */
    private static String untrustedClientReference(String objectType, JsonObject object) {
        String value = "checkout.session".equals(objectType)
                ? blankToNull(CheckoutSessionView.of(object).clientReferenceId()) : null;
        return value == null ? "" : " (its client_reference_id " + value + " is not taken: the session is not one this"
                + " service created for that tenant)";
    }

    /** The first configured tenant key found in a metadata (a key's value, or null). */
    private String fromMetadata(UnaryOperator<String> metadata) {
        for (String key : metadataKeys) {
            String tenant = blankToNull(metadata.apply(key));
            if (tenant != null) {
                return tenant;
            }
        }
        return null;
    }

    private static String tenantOfRelatedPayment(Connection connection, String objectType, JsonObject object)
            throws SQLException {
        PaymentReversalView reversal = reversal(objectType, object);
        if (reversal == null) {
            return null;
        }
        for (String related : new String[] {reversal.charge(), reversal.paymentIntent()}) {
            if (related == null) {
                continue;
            }
            try (PreparedStatement query = connection.prepareStatement(OBJECT_TENANT_SQL)) {
                query.setString(1, related);
                try (ResultSet row = query.executeQuery()) {
                    if (row.next()) {
                        return row.getString(1);
                    }
                }
            }
        }
        return null;
    }

    /** The charge (else the payment intent) a refund or dispute belongs to: whose arrival would resolve it. */
    private static String relatedPayment(String objectType, JsonObject object) {
        PaymentReversalView reversal = reversal(objectType, object);
        return reversal == null ? null : reversal.payment();
    }

    /** The refund or dispute an event of {@code objectType} is about; null for other objects. */
    private static PaymentReversalView reversal(String objectType, JsonObject object) {
        return "dispute".equals(objectType) || "refund".equals(objectType) ? PaymentReversalView.ofAnyType(object) : null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
