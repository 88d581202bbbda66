package io.billing.retention;

/** What the retention removes, each counted on its own (the {@code kind} label of its metric). */
public enum RetentionKind {

    /** A settled event's raw body. */
    PAYLOAD("payload"),
    /** An attempt's error message and stack trace. */
    ATTEMPT_DETAIL("attempt_detail"),
    /** A delivered outbound message. */
    OUTBOX_MESSAGE("outbox_message"),
    /** An attempt of a delivered outbound message, removed with it. */
    OUTBOX_ATTEMPT("outbox_attempt");

    private final String label;

    RetentionKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
