package io.billing.notification;

import io.billing.tenant.TenantId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * A tenant's own callback endpoint: where it is told that its entitlements changed, the secret those
 * notifications are signed with, and the entitlements last sent, so that only a change is sent. The secret is kept
 * as stored: sealed by {@link TenantCallbacks} with the service's encryption key ({@code v1:…}), or plain where no
 * key is configured or it was stored before one was. It leaves this class only to sign a notification
 * (package-private); nothing prints or returns it.
 *
 * <p>{@code version} guards what the outbox remembers as sent against an operator's change of the endpoint in
 * between: a notification sent to the old endpoint, or signed with the old secret, is never recorded as sent to the
 * new one.
 */
@Entity
@Table(name = "tenant_callback")
public class TenantCallback {

    /** The width of the url column. */
    public static final int MAX_URL_LENGTH = 2000;

    /** The tenant's id, the key; a plain column, since the persistence API converts no key ({@link #tenant()}). */
    @Id
    @Column(name = "tenant_id")
    private String tenantId;

    @Column(name = "url", nullable = false)
    private String url;

    @Column(name = "secret", nullable = false)
    private String secret;

    @Column(name = "last_entitlements")
    private String lastEntitlements;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    protected TenantCallback() {
        // for the persistence provider
    }

    /** @param storedSecret the signing secret as it is to be stored (sealed, or plain without a key) */
    public TenantCallback(TenantId tenant, URI url, String storedSecret, Instant now) {
        this.tenantId = Objects.requireNonNull(tenant, "tenant").value();
        this.createdAt = Objects.requireNonNull(now, "now");
        changeTo(url, storedSecret, now);
    }

    /** A new endpoint or secret (as it is to be stored): nothing has been sent to it yet. */
    public void changeTo(URI url, String storedSecret, Instant now) {
        String shown = Objects.requireNonNull(url, "url").toString();
        if (shown.length() > MAX_URL_LENGTH) {
            throw new IllegalArgumentException("a callback URL has at most " + MAX_URL_LENGTH + " characters");
        }
        if (storedSecret == null || storedSecret.isBlank()) {
            throw new IllegalArgumentException("a callback needs a secret");
        }
        this.url = shown;
        this.secret = storedSecret;
        this.lastEntitlements = null;
        this.updatedAt = Objects.requireNonNull(now, "now");
    }

    /** The entitlements the endpoint was last told, as sent. */
    void entitlementsSent(String entitlements) {
        this.lastEntitlements = entitlements;
    }

    public TenantId tenant() {
        return TenantId.of(tenantId);
    }

    public String url() {
        return url;
    }

    /** The secret as stored (sealed or plain), for signing a notification only. */
    String storedSecret() {
        return secret;
    }

    /** The same secret stored anew (sealed with another key, or plain): neither endpoint nor what was sent changes. */
    void restoreSecret(String storedSecret) {
        if (storedSecret == null || storedSecret.isBlank()) {
            throw new IllegalArgumentException("a callback needs a secret");
        }
        this.secret = storedSecret;
    }

    public String lastEntitlements() {
        return lastEntitlements;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    /** Which state of the callback this is: it changes with every change of it. */
    long version() {
        return version;
    }

    @Override
    public String toString() {
        return "TenantCallback[tenant=" + tenantId + ", url=" + url + "]";
    }
}
