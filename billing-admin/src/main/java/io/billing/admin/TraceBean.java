package io.billing.admin;

import io.billing.trace.PaymentTrace;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.sql.SQLException;

/** The payment trace: any id in, the timeline of events, object states, postings and payments out. */
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
