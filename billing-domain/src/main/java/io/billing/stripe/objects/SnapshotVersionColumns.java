package io.billing.stripe.objects;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import java.time.Instant;
import java.util.Objects;

/**
 * A {@link SnapshotVersion} as the three columns ({@code version_created}, {@code version_rank},
 * {@code version_event_id}) of an entity that keeps only the newest snapshot of a Stripe object: subscriptions,
 * catalogue products and prices, entitlement summaries. The persistence API of this release cannot embed a
 * record, so this class holds the columns and hands out the record; an entity replaces it as a whole.
 */
@Embeddable
public class SnapshotVersionColumns {

    @Column(name = "version_created", nullable = false)
    private Instant created;

    @Column(name = "version_rank", nullable = false)
    private int rank;

    @Column(name = "version_event_id", nullable = false)
    private String eventId;

    /** For the persistence provider. */
    protected SnapshotVersionColumns() {
    }

    private SnapshotVersionColumns(SnapshotVersion version) {
        this.created = version.created();
        this.rank = version.rank();
        this.eventId = version.eventId();
    }

    public static SnapshotVersionColumns of(SnapshotVersion version) {
        return new SnapshotVersionColumns(Objects.requireNonNull(version, "snapshot version"));
    }

    public SnapshotVersion version() {
        return new SnapshotVersion(created, rank, eventId);
    }

    /** Whether a snapshot of {@code candidate} is newer than the one stored, and so replaces it. */
    public boolean isReplacedBy(SnapshotVersion candidate) {
        return candidate.isNewerThan(version());
    }
}
