package io.billing.platform.persistence;

import jakarta.persistence.EntityManager;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Look-ups a unit of work makes once and remembers until it ends: a customer's tenant, whether a tenant has a
 * callback. The engine runs a batch of events in one unit and starts each event with an empty persistence context
 * (so that a flush compares one event's entities only), which made every event of a batch read those rows again:
 * two round trips of about seven per event when a batch's events belong to one customer, as Stripe's do (an invoice's
 * {@code invoice.created}, {@code invoice.finalized}, {@code invoice.paid} and its payment's events come together).
 *
 * <p>What a unit remembers is what it read first: a change another transaction commits meanwhile is seen by the next
 * unit, as if this unit's events had all run before it. Only values, never entities: an entity read for one event
 * is detached when the next one starts. The repository that reads a row through a unit's memory forgets it (or
 * remembers the new value) when it writes that row in the same unit.
 *
 * <p>An EntityManager that is no unit of work's (a page's read outside a transaction) remembers nothing.
 */
public final class UnitReads {

    /** Where a unit of work's EntityManager carries what it remembers. */
    static final String PROPERTY = "io.billing.unit-reads";

    /** For an EntityManager of no unit of work: every look-up reads. */
    private static final UnitReads NONE = new UnitReads(false);

    private final Map<Object, Object> remembered = new HashMap<>();
    private final boolean remembers;

    private UnitReads(boolean remembers) {
        this.remembers = remembers;
    }

    /** A new, empty memory for one unit of work. */
    static UnitReads forUnit() {
        return new UnitReads(true);
    }

    /** What the unit of work this EntityManager belongs to remembers; reads every time for any other. */
    public static UnitReads of(EntityManager entityManager) {
        return entityManager.getProperties().get(PROPERTY) instanceof UnitReads reads ? reads : NONE;
    }

    /** The value remembered under {@code key}, else what {@code read} returns, remembered. */
    @SuppressWarnings("unchecked")
    public <T> T once(Object key, Supplier<T> read) {
        if (!remembers) {
            return read.get();
        }
        return (T) remembered.computeIfAbsent(key, k -> read.get());
    }

    /**
     * The value remembered under {@code key}, else what {@code read} finds, remembered only when found: a row that
     * was not there is looked for again next time, for rows another transaction may add at any moment (a customer's
     * mapping, which another worker may learn while this unit runs, and then re-queues the events waiting for it).
     */
    public <T> Optional<T> onceFound(Object key, Supplier<Optional<T>> read) {
        if (!remembers) {
            return read.get();
        }
        Optional<T> known = remembered(key);
        if (known.isPresent()) {
            return known;
        }
        Optional<T> found = read.get();
        found.ifPresent(value -> remembered.put(key, value));
        return found;
    }

    /** The value remembered under {@code key}, if any, without reading. */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> remembered(Object key) {
        return Optional.ofNullable((T) remembered.get(key));
    }

    /** Remembers a value this unit has just written under {@code key}. */
    public void remember(Object key, Object value) {
        if (remembers) {
            remembered.put(key, value);
        }
    }

    /** Forgets {@code key}: the next look-up reads it. */
    public void forget(Object key) {
        if (remembers) {
            remembered.remove(key);
        }
    }
}
