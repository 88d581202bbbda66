package io.billing.stripe.view;

import java.time.Instant;
import java.util.Objects;

/** A billing or service period: from {@code start} to {@code end}, never ending before it starts. */
public record Period(Instant start, Instant end) {

    public Period {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("a period cannot end (" + end + ") before it starts (" + start + ")");
        }
    }

    /** The period at {@code start}/{@code end} when both are known, else null. */
    static Period of(Instant start, Instant end) {
        return start == null || end == null ? null : new Period(start, end);
    }

    /** The smallest period covering this one and {@code other} (null: this one). */
    public Period span(Period other) {
        if (other == null) {
            return this;
        }
        return new Period(start.isBefore(other.start) ? start : other.start, end.isAfter(other.end) ? end : other.end);
    }
}
