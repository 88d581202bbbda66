package io.billing.stripe.objects;

import io.billing.stripe.FetchedSnapshots;
import io.billing.processing.handler.EventHandler;
import io.billing.processing.handler.HandlerOrder;
import io.billing.processing.handler.HandlingContext;
import io.billing.processing.handler.InboxWorkItem;
import io.billing.stripe.view.StripeObjectView;
import jakarta.enterprise.context.Dependent;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps the latest known snapshot of every tenant-owned Stripe object (customers, subscriptions,
 * invoices, payments, Checkout Sessions, refunds, disputes, credit notes): its tenant, customer, status, the
 * e-mail address it names its buyer by ({@link StripeObjectView#buyerEmail()}, lower-cased, so that support finds a
 * customer's payments by the address they were told) and the {@link SnapshotVersion} that put it there. This is the
 * engine's own record of what Stripe told us and the first thing a payment trace looks at.
 *
 * <p>The row is locked before it is compared, so two workers applying snapshots of one object serialise
 * on it, and a stale snapshot (an older event delivered late) changes nothing.
 */
@Dependent
@HandlerOrder(200)
public final class StripeObjectProjection implements EventHandler {

    static final Set<String> EVENT_TYPES = FetchedSnapshots.plusFetched(Set.of(
            "customer.created", "customer.updated", "customer.deleted",
            "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
            "customer.subscription.paused", "customer.subscription.resumed", "customer.subscription.trial_will_end",
            "invoice.created", "invoice.finalized", "invoice.paid", "invoice.payment_succeeded",
            "invoice.payment_failed", "invoice.payment_action_required", "invoice.voided",
            "invoice.marked_uncollectible", "invoice.updated",
            "payment_intent.created", "payment_intent.processing", "payment_intent.succeeded",
            "payment_intent.payment_failed", "payment_intent.requires_action", "payment_intent.canceled",
            "charge.succeeded", "charge.failed", "charge.refunded", "charge.captured", "charge.pending",
            "checkout.session.completed", "checkout.session.expired",
            "checkout.session.async_payment_succeeded", "checkout.session.async_payment_failed",
            "refund.created", "refund.updated", "refund.failed",
            "charge.dispute.created", "charge.dispute.updated", "charge.dispute.closed",
            "charge.dispute.funds_withdrawn", "charge.dispute.funds_reinstated",
            "credit_note.created", "credit_note.updated", "credit_note.voided"));

    /** Objects whose arrival can resolve parked refunds and disputes (resolved through their payment). */
    private static final Set<String> PAYMENT_OBJECTS = Set.of("charge", "payment_intent");

    /**
     * Where the snapshots are kept: one row per object, its state replaced by a newer snapshot only. The state columns'
     * order is {@link #bindState}'s.
     */
    private static final VersionedUpsert.SnapshotTable SNAPSHOTS = new VersionedUpsert.SnapshotTable("stripe_object",
            "object_id", List.of("object_type"), List.of("tenant_id", "customer_id", "status", "deleted", "livemode",
            "version_created", "version_rank", "version_event_id", "version_type", "email"));
    /** The width of the e-mail column; a longer address (none is valid) is not kept. */
    private static final int MAX_EMAIL_LENGTH = 320;

    @Override
    public Set<String> eventTypes() {
        return EVENT_TYPES;
    }

    @Override
    public void handle(HandlingContext context) throws SQLException {
        InboxWorkItem event = context.event();
        if (event.objectId() == null) {
            return;
        }
        StripeObjectView object = StripeObjectView.of(context.json().dataObject());
        String status = object.status();
        String email = normalisedEmail(object.buyerEmail());
        SnapshotVersion version = new SnapshotVersion(event.created(),
                SnapshotVersion.rank(event.objectType(), status, event.type()), event.eventId());
        boolean deleted = event.type().endsWith(".deleted");
        VersionedUpsert.Result result = VersionedUpsert.apply(context.connection(), SNAPSHOTS, event.objectId(),
                version, insert -> bind(insert, 1, context, status, deleted, version, email),
                update -> {
                    int next = bindState(update, 1, context, status, deleted, version, email);
                    update.setString(next, event.objectId());
                });
        if (result == VersionedUpsert.Result.INSERTED && PAYMENT_OBJECTS.contains(event.objectType())) {
            context.requeueParkedAwaiting(event.objectId(),
                    "re-queued: " + event.objectType() + " " + event.objectId() + " became known");
        }
    }

    /**
     * An e-mail address as the snapshots keep it and support looks it up: trimmed and lower-cased (Stripe keeps
     * what the buyer typed); null for none.
     */
    public static String normalisedEmail(String email) {
        if (email == null || email.isBlank()) {
            return null;
        }
        String normalised = email.trim().toLowerCase(Locale.ROOT);
        return normalised.length() > MAX_EMAIL_LENGTH ? null : normalised;
    }

    private static void bind(PreparedStatement insert, int at, HandlingContext context, String status,
                             boolean deleted, SnapshotVersion version, String email) throws SQLException {
        insert.setString(at, context.event().objectId());
        insert.setString(at + 1, context.event().objectType());
        bindState(insert, at + 2, context, status, deleted, version, email);
    }

    /** Binds tenant … email from {@code at}; returns the next parameter index. */
    private static int bindState(PreparedStatement statement, int at, HandlingContext context, String status,
                                 boolean deleted, SnapshotVersion version, String email) throws SQLException {
        statement.setString(at, context.tenantId());
        statement.setString(at + 1, context.event().customerId());
        statement.setString(at + 2, status);
        statement.setBoolean(at + 3, deleted);
        statement.setBoolean(at + 4, context.event().livemode());
        statement.setTimestamp(at + 5, Timestamp.from(version.created()));
        statement.setInt(at + 6, version.rank());
        statement.setString(at + 7, version.eventId());
        statement.setString(at + 8, context.event().type());
        statement.setString(at + 9, email);
        return at + 10;
    }

}
