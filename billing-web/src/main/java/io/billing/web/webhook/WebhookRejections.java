package io.billing.web.webhook;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

import java.util.logging.Logger;

/**
 * Counts refused deliveries by error code ({@code webhook_rejected_total{reason=…}} under
 * {@code /metrics}) and logs refused signatures with the sender's address. A burst of signature
 * refusals means a misconfigured secret or somebody probing the endpoint; either way an operator
 * wants to see it. Neither the body nor the header value nor any secret is ever logged.
 */
@ApplicationScoped
public class WebhookRejections {

    private static final Logger LOG = Logger.getLogger(WebhookRejections.class.getName());

    @Inject
    MetricRegistry metrics;

    public void count(String reason) {
        metrics.counter("webhook.rejected", new Tag("reason", reason)).inc();
    }

    public void signatureRefused(String reason, String remoteAddress) {
        count(reason);
        LOG.warning(() -> "Refused a webhook delivery from " + remoteAddress + ": " + reason);
    }
}
