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
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Receives Stripe webhook deliveries: checks the media type and size, verifies the signature over the raw
 * bytes, stores the event in the inbox and answers 200 once it is committed. A repeat delivery answers 200
 * too. Nothing is processed here: the answer must be fast, and what matters is decided later.
 */
@Path("stripe/webhook")
@ApplicationScoped
public class StripeWebhookResource {

    private static final Logger LOG = Logger.getLogger(StripeWebhookResource.class.getName());

    private final EventEnvelopeParser parser = new EventEnvelopeParser();

    @Inject
    WebhookSignatureVerifier verifier;

    @Inject
    EventInbox inbox;

    @Inject
    WebhookSettings settings;

    @Inject
    WebhookRejections rejections;

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength,
                            @HeaderParam("Stripe-Signature") String signature,
                            @Context HttpServletRequest request,
                            InputStream body) {
        if (!isJson(contentType)) {
            return refuse(Response.Status.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "Stripe events are sent as application/json.");
        }
        if (contentLength != null && contentLength > settings.maxBodyBytes()) {
            return tooLarge();
        }
        byte[] raw;
        try {
            raw = readAtMost(body, settings.maxBodyBytes());
        } catch (IOException e) {
            return refuse(Response.Status.BAD_REQUEST, "unreadable_body", "The request body could not be read.");
        }
        if (raw == null) {
            return tooLarge();
        }
        try {
            verifier.verify(raw, signature);
        } catch (SignatureRejectedException e) {
            return refuseSignature(e.reason(), request.getRemoteAddr());
        }
        EventEnvelope event;
        try {
            event = parser.parse(raw);
        } catch (MalformedEventException e) {
            return refuse(Response.Status.BAD_REQUEST, e.code(), e.getMessage());
        }
        try {
            StoreOutcome outcome = inbox.store(event);
            return Response.ok(ApiError.JSON.createObjectBuilder()
                    .add("received", true)
                    .add("id", event.eventId())
                    .add("duplicate", outcome == StoreOutcome.DUPLICATE)
                    .build()).build();
        } catch (InboxUnavailableException e) {
            LOG.log(Level.WARNING, "Webhook event {0} not stored, asking Stripe to retry: {1}",
                    new Object[]{event.eventId(), e.getMessage()});
            return unavailable("database_unavailable",
                    "The event could not be stored right now; it was not accepted. Deliver it again later.");
        }
    }

    private Response refuseSignature(SignatureRejection reason, String remoteAddress) {
        rejections.signatureRefused(reason.code(), remoteAddress);
        if (reason == SignatureRejection.NOT_CONFIGURED) {
            // Our misconfiguration, not the sender's fault: make Stripe keep the event and retry.
            return unavailable(reason.code(), reason.message());
        }
        return error(Response.Status.BAD_REQUEST, reason.code(), reason.message()).build();
    }

    private Response tooLarge() {
        return refuse(Response.Status.REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
                "The request body is larger than " + settings.maxBodyBytes() + " bytes.");
    }

    private Response refuse(Response.Status status, String code, String message) {
        rejections.count(code);
        return error(status, code, message).build();
    }

    private Response unavailable(String code, String message) {
        return error(Response.Status.SERVICE_UNAVAILABLE, code, message)
                .header(HttpHeaders.RETRY_AFTER, settings.retryAfterSeconds())
                .build();
    }

    private static Response.ResponseBuilder error(Response.Status status, String code, String message) {
        return ApiError.of(status, code, message);
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.valueOf(contentType);
            return type.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !type.isWildcardType()
                    && !type.isWildcardSubtype();
        } catch (IllegalArgumentException e) {
            return false;
        }
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
