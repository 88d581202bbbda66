package io.billing.connector;

import io.billing.platform.persistence.LockingReads;
import io.billing.stripe.objects.NewestSnapshot;
import io.billing.stripe.objects.SnapshotVersion;
import io.billing.tenant.TenantId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.QueryHint;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Objects;

/**
 * A tenant's Stripe customer as a user of the licence service: the customer's newest known e-mail address and
 * name (from the newest customer snapshot, whatever order the events came in; or from the first paid invoice or
 * Checkout Session when no customer event was seen), the licence service's id of the user once it has answered,
 * and what was last sent to it. The licences created for the customer's payments belong to that user.
 *
 * <p>The licence service finds users by e-mail address: the first sync reuses a user it already has with that
 * address. After that the user is known by its id, so a changed address updates that user rather than making
 * another one.
 */
@Entity
@Table(name = "licence_user")
@NamedQuery(name = LicenceUser.OF_TENANT,
        query = "SELECT u FROM LicenceUser u WHERE u.tenant = :tenant ORDER BY u.customerId")
@NamedQuery(name = LicenceUser.LOCKED_BY_ID,
        query = "SELECT e FROM LicenceUser e WHERE e.customerId = :" + LockingReads.ID,
        hints = @QueryHint(name = LockingReads.PESSIMISTIC_LOCK, value = "Lock"))
public class LicenceUser extends NewestSnapshot<LicenceUser.Contact> {

    /** One by its id, locked until the transaction ends ({@link LockingReads#lockedById}). */
    public static final String LOCKED_BY_ID = "LicenceUser.lockedById";

    static final String OF_TENANT = "LicenceUser.ofTenant";

    /** What a snapshot of the customer says of them. */
    public record Contact(String email, String name) {
    }

    @Id
    @Column(name = "customer_id")
    private String customerId;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private TenantId tenant;

    @Column(name = "email")
    private String email;

    @Column(name = "name")
    private String name;

    @Column(name = "user_id")
    private String userId;

    @Column(name = "synced_email")
    private String syncedEmail;

    @Column(name = "synced_name")
    private String syncedName;

    @Column(name = "synced_at")
    private Instant syncedAt;

    /** For the persistence provider. */
    protected LicenceUser() {
    }

    private LicenceUser(String customerId, TenantId tenant) {
        this.customerId = Objects.requireNonNull(customerId, "customer id");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
    }

    /** A customer seen for the first time, from this snapshot. */
    public static LicenceUser of(String customerId, TenantId tenant, Contact contact, SnapshotVersion version) {
        LicenceUser user = new LicenceUser(customerId, tenant);
        user.first(contact, version);
        return user;
    }

    @Override
    protected void take(Contact snapshot) {
        this.email = snapshot.email();
        this.name = snapshot.name();
    }

    /** The licence service answered for this user with {@code userId}, having been sent the current details. */
    public void synced(String userId, String sentEmail, String sentName, Instant now) {
        this.userId = Objects.requireNonNull(userId, "licence service user id");
        this.syncedEmail = sentEmail;
        this.syncedName = sentName;
        this.syncedAt = now;
    }

    /** Whether the licence service has the customer's current details (a known user, nothing changed since). */
    public boolean inSync() {
        return userId != null && Objects.equals(email, syncedEmail) && Objects.equals(name, syncedName);
    }

    public String customerId() {
        return customerId;
    }

    public TenantId tenant() {
        return tenant;
    }

    /** The details kept, as a snapshot gives them. */
    public Contact contact() {
        return new Contact(email, name);
    }

    public String email() {
        return email;
    }

    public String name() {
        return name;
    }

    /** The licence service's id of this user; null until it has answered a sync. */
    public String userId() {
        return userId;
    }

    public Instant syncedAt() {
        return syncedAt;
    }
}
