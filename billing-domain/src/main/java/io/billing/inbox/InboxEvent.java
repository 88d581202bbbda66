package io.billing.inbox;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Optional;

/**
 * One stored Stripe event, as the inbox holds it. Rows are written by {@link GroupCommitWriter} with plain
 * JDBC (the intake's hot path); this mapping is the read side for the workers and the admin.
 * It has no setters: only the processing engine changes an event's status, through its own methods.
 */
@Entity
@Table(name = "inbox_event")
public class InboxEvent {

    @Id
    @Column(name = "event_id")
    private String eventId;

    @Column(name = "event_type", nullable = false)
    private String type;

    @Column(name = "api_version")
    private String apiVersion;

    @Column(name = "livemode", nullable = false)
    private boolean livemode;

    @Column(name = "account_id")
    private String account;

    @Column(name = "stripe_created", nullable = false)
    private Instant created;

    @Column(name = "object_type")
    private String objectType;

    @Column(name = "object_id")
    private String objectId;

    @Column(name = "customer_id")
    private String customerId;

    /** Null once data retention removed it ({@link #payloadRemovedAt()}). */
    @Basic(fetch = FetchType.LAZY)
    @Column(name = "payload")
    private byte[] payload;

    @Column(name = "payload_removed_at")
    private Instant payloadRemovedAt;

    @Column(name = "received_at", nullable = false)
    private Instant receivedAt;

    @Column(name = "delivery_count", nullable = false)
    private int deliveryCount;

    @Column(name = "last_delivered_at", nullable = false)
    private Instant lastDeliveredAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false)
    private InboxStatus status;

    protected InboxEvent() {
        // for JPA
    }

    public String eventId() {
        return eventId;
    }

    public String type() {
        return type;
    }

    public String apiVersion() {
        return apiVersion;
    }

    public boolean livemode() {
        return livemode;
    }

    public String account() {
        return account;
    }

    public Instant created() {
        return created;
    }

    public String objectType() {
        return objectType;
    }

    public String objectId() {
        return objectId;
    }

    public String customerId() {
        return customerId;
    }

    /** The raw body as Stripe sent it; empty once data retention removed it. */
    public Optional<byte[]> payload() {
        return Optional.ofNullable(payload).map(byte[]::clone);
    }

    /** When data retention removed the raw body; null while it is kept. */
    public Instant payloadRemovedAt() {
        return payloadRemovedAt;
    }

    public Instant receivedAt() {
        return receivedAt;
    }

    public int deliveryCount() {
        return deliveryCount;
    }

    public Instant lastDeliveredAt() {
        return lastDeliveredAt;
    }

    public InboxStatus status() {
        return status;
    }
}
