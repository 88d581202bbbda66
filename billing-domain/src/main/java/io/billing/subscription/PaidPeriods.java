package io.billing.subscription;

import io.billing.processing.handler.EventHandler;
import io.billing.processing.handler.HandlerOrder;
import io.billing.processing.handler.HandlingContext;
import io.billing.stripe.view.InvoiceLineView;
import io.billing.stripe.view.InvoiceView;
import io.billing.stripe.view.Period;
import io.billing.tenant.TenantId;
import jakarta.enterprise.context.Dependent;

import java.time.Instant;
import java.util.Set;

/**
 * Records the service period each paid subscription invoice covers (the latest end among its lines), so
 * that a renewal ({@code billing_reason=subscription_cycle}) extends access as soon as it is paid. Once per
 * invoice, whichever of {@code invoice.paid} and {@code invoice.payment_succeeded} comes first.
 */
@Dependent
@HandlerOrder(400)
public final class PaidPeriods implements EventHandler {

    @Override
    public Set<String> eventTypes() {
        return Set.of("invoice.paid", "invoice.payment_succeeded");
    }

    @Override
    public void handle(HandlingContext context) {
        InvoiceView invoice = InvoiceView.of(context.json().dataObject());
        String subscription = invoice.subscription();
        Instant periodEnd = latestLineEnd(invoice);
        if (subscription == null || periodEnd == null || !invoice.paid()) {
            return;
        }
        new JpaSubscriptionRepository(context.entityManager()).recordPaidPeriod(
                new PaidPeriod(subscription, invoice.id(), TenantId.of(context.tenantId()), periodEnd));
    }

    private static Instant latestLineEnd(InvoiceView invoice) {
        Instant latest = null;
        for (InvoiceLineView line : invoice.lines()) {
            Period period = line.period();
            if (period != null && (latest == null || period.end().isAfter(latest))) {
                latest = period.end();
            }
        }
        return latest;
    }
}
