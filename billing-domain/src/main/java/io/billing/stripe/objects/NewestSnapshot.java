package io.billing.stripe.objects;

import jakarta.persistence.Embedded;
import jakarta.persistence.MappedSuperclass;

/**
 * An entity that holds the newest snapshot of a Stripe object it was given: a snapshot replaces the state only if
 * its {@link SnapshotVersion} is newer than the one held, whatever order the events came in. Subscriptions and
 * the catalogue's products and prices are such entities; each says what a snapshot of it holds ({@code S}) and
 * how it takes one ({@link #take}).
 *
 * @param <S> what one snapshot says of the object
 */
@MappedSuperclass
public abstract class NewestSnapshot<S> {

    @Embedded
    private SnapshotVersionColumns version;

    /** Sets the state from a snapshot; the version is kept by this class. */
    protected abstract void take(S snapshot);

    /** Takes the first snapshot of a new entity. */
    protected final void first(S snapshot, SnapshotVersion version) {
        take(snapshot);
        this.version = SnapshotVersionColumns.of(version);
    }

    /** Applies the snapshot if it is newer than the one held; returns whether it was. */
    public final boolean replaceIfNewer(S snapshot, SnapshotVersion version) {
        if (!this.version.isReplacedBy(version)) {
            return false;
        }
        first(snapshot, version);
        return true;
    }

    /** The version of the snapshot the state comes from. */
    public SnapshotVersion version() {
        return version.version();
    }
}
