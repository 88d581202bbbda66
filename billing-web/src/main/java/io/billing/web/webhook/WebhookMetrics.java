package io.billing.web.webhook;

import io.billing.refusal.RefusalLog;
import io.billing.web.RequestIds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Counts deliveries: stored ones by event type and outcome ({@code webhook_received_total{type=…,
 * outcome=stored|duplicate}}) and refused ones by error code ({@code webhook_rejected_total{reason=…}}), under
 * {@code /metrics}; writes refused ones down with the sender's address for the admin and the operator API
 * ({@link RefusalLog}); logs refused signatures with the sender's address. A burst of signature
 * refusals means a misconfigured secret or somebody probing the endpoint; either way an operator
 * wants to see it. Neither the body nor the header value nor any secret is ever logged or written down.
 */
@ApplicationScoped
public class WebhookMetrics {

    private static final Logger LOG = Logger.getLogger(WebhookMetrics.class.getName());
    private static final Logger EVENTS = Logger.getLogger("io.billing.events");

    @Inject
    MetricRegistry metrics;

    @Inject
    RefusalLog refusals;

    /**
     * The counters of stored deliveries by type and outcome, once looked up: the registry checks a metric's tags
     * against a pattern at every look-up, for every delivery. Stripe's event types are a few hundred at most.
     */
    private final Map<String, Counter> receivedCounters = new ConcurrentHashMap<>();

    /** A verified event stored; the type is Stripe's (only signed bodies get here, so its values are Stripe's). */
    public void received(String eventId, String type, boolean duplicate) {
        String outcome = duplicate ? "duplicate" : "stored";
        receivedCounters.computeIfAbsent(outcome + ' ' + type, key -> metrics.counter("webhook.received",
                new Tag("type", type), new Tag("outcome", outcome))).inc();
        if (EVENTS.isLoggable(Level.INFO)) { // the event's first state change, beside the engine's lines
            // logp, naming where it logs from, spares the record a walk of the stack on every delivery
            EVENTS.logp(Level.INFO, WebhookMetrics.class.getName(), "received", "event {0} {1} -> {2} request={3}",
                    new Object[] {eventId, type, duplicate ? "DUPLICATE" : "RECEIVED", RequestIds.current()});
        }
    }

    /** A refused delivery, by the error code it was answered, from the sender's address as the service sees it. */
    public void refused(String reason, String remoteAddress) {
        metrics.counter("webhook.rejected", new Tag("reason", reason)).inc();
        refusals.record(reason, remoteAddress);
    }

    public void signatureRefused(String reason, String remoteAddress) {
        refused(reason, remoteAddress);
        LOG.warning(() -> "Refused a webhook delivery from " + remoteAddress + ": " + reason + " request="
                + RequestIds.current());
    }
}
