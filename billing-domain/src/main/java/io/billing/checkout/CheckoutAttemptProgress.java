package io.billing.checkout;

import io.billing.processing.handler.EventHandler;
import io.billing.processing.handler.HandlerOrder;
import io.billing.processing.handler.HandlingContext;
import io.billing.stripe.view.CheckoutSessionView;
import io.billing.tenant.TenantId;
import jakarta.enterprise.context.Dependent;

import java.util.Map;
import java.util.Set;

/**
 * Moves each checkout attempt this service made along with its session's events: completed (paid, or with its
 * payment still under way), its delayed payment succeeded or failed, expired. The attempt is found by the id the
 * service put in the session's metadata, for the event's tenant only; a session the service did not make (a Payment
 * Link's) has none and is left to the other handlers.
 */
@Dependent
@HandlerOrder(850)
public final class CheckoutAttemptProgress implements EventHandler {

    /** What each session event says of the attempt, a completed session's being read from its payment status. */
    private static final Map<String, CheckoutAttempt.Status> OUTCOMES = Map.of(
            "checkout.session.async_payment_succeeded", CheckoutAttempt.Status.COMPLETED,
            "checkout.session.async_payment_failed", CheckoutAttempt.Status.PAYMENT_FAILED,
            "checkout.session.expired", CheckoutAttempt.Status.EXPIRED);

    private static final String COMPLETED = "checkout.session.completed";

    @Override
    public Set<String> eventTypes() {
        return Set.of(COMPLETED, "checkout.session.async_payment_succeeded", "checkout.session.async_payment_failed",
                "checkout.session.expired");
    }

    @Override
    public void handle(HandlingContext context) {
        CheckoutSessionView session = CheckoutSessionView.of(context.json().dataObject());
        String attemptId = session.checkoutAttemptId();
        if (attemptId == null || context.tenantId() == null) {
            return;
        }
        String type = context.event().type();
        CheckoutAttempt.Status next = COMPLETED.equals(type)
                ? ("unpaid".equals(session.paymentStatus()) ? CheckoutAttempt.Status.PAYMENT_PENDING
                : CheckoutAttempt.Status.COMPLETED)
                : OUTCOMES.get(type);
        CheckoutAttempts.of(context.entityManager()).findForUpdate(TenantId.of(context.tenantId()), attemptId)
                .ifPresent(attempt -> attempt.sessionProgressed(next, session.id(), context.event().created(),
                        context.now()));
    }
}
