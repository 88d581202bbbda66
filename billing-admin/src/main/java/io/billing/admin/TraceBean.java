package io.billing.admin;

import io.billing.trace.PaymentTrace;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The payment trace: anything support is told in (any Stripe id, an event, an e-mail address, an invoice number, a
 * tenant, an order, a checkout attempt, a store order), the timeline of events, object states, postings and payments
 * (with their mode, origin and history) out.
 */
@Named
@RequestScoped
public class TraceBean {

    @Inject
    AdminFacade facade;

    private String q;
    private PaymentTrace.Trace trace;

    public void load() {
        if (q == null || q.isBlank()) {
            return;
        }
        try {
            trace = facade.trace(q);
            if (!trace.found()) {
                AdminCaller.Messages.error("Nothing is known of " + q.trim() + ".");
            }
        } catch (SQLException e) {
            AdminCaller.Messages.databaseFailed(e);
        }
    }

    /** The Stripe objects a payment names, each to be traced in turn. */
    public List<String> stripeIds(PaymentTrace.Payment payment) {
        return Stream.of(payment.invoiceId(), payment.paymentIntentId(), payment.chargeId(),
                payment.checkoutSessionId(), payment.subscriptionId(), payment.customerId())
                .filter(Objects::nonNull).toList();
    }

    /** Whether the trace lists only the newest of more events (a long-lived customer, tenant or subscription). */
    public boolean isNewestEventsOnly() {
        return trace != null && trace.events().size() >= PaymentTrace.MAX_EVENTS;
    }

    /** Whether the trace lists only the newest of more payments (a customer's, a subscription's). */
    public boolean isNewestPaymentsOnly() {
        return trace != null && trace.payments().size() >= PaymentTrace.MAX_PAYMENTS;
    }

    public PaymentTrace.Trace getTrace() {
        return trace;
    }

    public String getQ() {
        return q;
    }

    public void setQ(String q) {
        this.q = q;
    }
}
