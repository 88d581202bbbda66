package io.billing.web.webhook;

import io.billing.inbox.EventEnvelope;
import io.billing.inbox.EventEnvelopeParser;
import io.billing.inbox.EventInbox;
import io.billing.inbox.InboxUnavailableException;
import io.billing.inbox.MalformedEventException;
import io.billing.inbox.StoreOutcome;
import io.billing.stripe.webhook.SignatureRejectedException;
import io.billing.stripe.webhook.SignatureRejection;
import io.billing.stripe.webhook.WebhookSignatureVerifier;
import io.billing.web.ApiError;
import io.billing.web.security.ClientAddress;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Receives Stripe webhook deliveries: checks the media type and size, verifies the signature over the raw
 * bytes, stores the event in the inbox and answers 200 once it is committed. A repeat delivery answers 200
 * too. Nothing is processed here: the answer must be fast, and what matters is decided later.
 *
 * <p>A plain servlet rather than a JAX-RS resource, on purpose: this is the one path that takes Stripe's
 * full volume, and profiling showed the JAX-RS machinery (routing, providers, request listeners) costing
 * more CPU per delivery than the verification, parsing and storing together, CPU the processing engine on
 * the same node needs. The exact servlet mapping takes precedence over the JAX-RS application's
 * {@code /api/*}.
 */
@WebServlet(urlPatterns = StripeWebhookServlet.PATH, loadOnStartup = 1)
public class StripeWebhookServlet extends HttpServlet {

    public static final String PATH = "/api/stripe/webhook";

    private static final Logger LOG = Logger.getLogger(StripeWebhookServlet.class.getName());

    private final transient EventEnvelopeParser parser = new EventEnvelopeParser();

    @Inject
    transient WebhookSignatureVerifier verifier;

    @Inject
    transient EventInbox inbox;

    @Inject
    transient WebhookSettings settings;

    @Inject
    transient WebhookMetrics counters;

    @Inject
    transient ClientAddress clients;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!isJson(request.getContentType())) {
            refuse(request, response, 415, "unsupported_media_type", "Stripe events are sent as application/json.");
            return;
        }
        long contentLength = request.getContentLengthLong();
        if (contentLength > settings.maxBodyBytes()) {
            tooLarge(request, response);
            return;
        }
        byte[] raw;
        try {
            raw = readAtMost(request.getInputStream(), settings.maxBodyBytes());
        } catch (IOException e) {
            refuse(request, response, 400, "unreadable_body", "The request body could not be read.");
            return;
        }
        if (raw == null) {
            tooLarge(request, response);
            return;
        }
        try {
            verifier.verify(raw, request.getHeader("Stripe-Signature"));
        } catch (SignatureRejectedException e) {
            refuseSignature(response, e.reason(), clients.address(request));
            return;
        }
        EventEnvelope event;
        try {
            event = parser.parse(raw);
        } catch (MalformedEventException e) {
            refuse(request, response, 400, e.code(), e.getMessage());
            return;
        }
        try {
            StoreOutcome outcome = inbox.store(event);
            try {
                send(response, 200, ApiError.JSON.createObjectBuilder()
                        .add("received", true)
                        .add("id", event.eventId())
                        .add("duplicate", outcome == StoreOutcome.DUPLICATE)
                        .build());
                // The answer goes out before the receipt is counted and logged: the log handler writes under a
                // lock every request thread shares, and Stripe's wait need not include it.
                response.flushBuffer();
            } finally {
                counters.received(event.eventId(), event.type(), outcome == StoreOutcome.DUPLICATE);
            }
        } catch (InboxUnavailableException e) {
            LOG.log(Level.WARNING, "Webhook event {0} not stored, asking Stripe to retry: {1}",
                    new Object[]{event.eventId(), e.getMessage()});
            unavailable(response, "database_unavailable",
                    "The event could not be stored right now; it was not accepted. Deliver it again later.");
        }
    }

    private void refuseSignature(HttpServletResponse response, SignatureRejection reason, String remoteAddress)
            throws IOException {
        counters.signatureRefused(reason.code(), remoteAddress);
        if (reason == SignatureRejection.NOT_CONFIGURED) {
            // Our misconfiguration, not the sender's fault: make Stripe keep the event and retry.
            unavailable(response, reason.code(), reason.message());
            return;
        }
        send(response, 400, ApiError.body(reason.code(), reason.message()));
    }

    private void tooLarge(HttpServletRequest request, HttpServletResponse response) throws IOException {
        refuse(request, response, 413, "payload_too_large", "The request body is larger than " + settings.maxBodyBytes() + " bytes.");
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, int status, String code,
                        String message) throws IOException {
        counters.refused(code, clients.address(request));
        send(response, status, ApiError.body(code, message));
    }

    private void unavailable(HttpServletResponse response, String code, String message) throws IOException {
        response.setHeader("Retry-After", Integer.toString(settings.retryAfterSeconds()));
        send(response, 503, ApiError.body(code, message));
    }

    private static void send(HttpServletResponse response, int status, JsonObject body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** {@code application/json}, with or without parameters such as a charset; no wildcards. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.toLowerCase(Locale.ROOT).equals("application/json");
    }

    /** Reads the whole body, or returns null as soon as it proves longer than {@code limit}. */
    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 16 * 1024));
        byte[] buffer = new byte[16 * 1024];
        int total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
            if (total > limit) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
