package io.billing.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Objects;

/**
 * One manual action (or a mapping the engine learnt): who did what to which thing, when, why, and the value
 * before and after. Immutable: an entry is written once and never changed, so every column is left out of
 * updates and the entity has nothing that changes it. The database numbers entries as they are written
 * ({@link AuditLog#write}); the number orders the log.
 */
@Entity
@Table(name = "audit_log")
public class AuditEntry {

    static final int MAX_NAME = 64;
    static final int MAX_ID = 255;
    static final int MAX_TEXT = 2000;

    @Id
    @Column(name = "audit_id", updatable = false)
    private Long id;

    @Column(name = "at", nullable = false, updatable = false)
    private Instant at;

    @Column(name = "actor", nullable = false, updatable = false)
    private String actor;

    @Column(name = "action", nullable = false, updatable = false)
    private String action;

    @Column(name = "target_type", nullable = false, updatable = false)
    private String targetType;

    @Column(name = "target_id", nullable = false, updatable = false)
    private String targetId;

    @Column(name = "before_value", updatable = false)
    private String before;

    @Column(name = "after_value", updatable = false)
    private String after;

    @Column(name = "reason", updatable = false)
    private String reason;

    /** For the persistence provider only. */
    protected AuditEntry() {
    }

    /**
     * @param actor  who acted: a staff user name, {@code system}, or {@code stripe} for what the engine learnt
     * @param action what was done, in capitals ({@code MAPPING_CHANGED}, {@code RETRY} …)
     * @param before the value before, or null
     * @param after  the value after, or null
     * @param reason why, as the actor said it, or null
     * @throws IllegalArgumentException for a missing actor, action or target, or a value longer than its column
     */
    public AuditEntry(Instant at, String actor, String action, String targetType, String targetId, String before,
                      String after, String reason) {
        this.at = Objects.requireNonNull(at, "at");
        this.actor = required(actor, "actor", MAX_ID);
        this.action = required(action, "action", MAX_NAME);
        this.targetType = required(targetType, "target type", MAX_NAME);
        this.targetId = required(targetId, "target id", MAX_ID);
        this.before = bounded(before, "value before");
        this.after = bounded(after, "value after");
        this.reason = bounded(reason, "reason");
    }

    /** The entry's place in the log (later entries have greater ids); null until it is written. */
    public Long id() {
        return id;
    }

    public Instant at() {
        return at;
    }

    public String actor() {
        return actor;
    }

    public String action() {
        return action;
    }

    public String targetType() {
        return targetType;
    }

    public String targetId() {
        return targetId;
    }

    public String before() {
        return before;
    }

    public String after() {
        return after;
    }

    public String reason() {
        return reason;
    }

    private static String required(String value, String name, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("an audit entry needs its " + name);
        }
        return bounded(value, name, maxLength);
    }

    private static String bounded(String value, String name) {
        return bounded(value, name, MAX_TEXT);
    }

    private static String bounded(String value, String name, int maxLength) {
        if (value != null && value.length() > maxLength) {
            throw new IllegalArgumentException("the audit entry's " + name + " has at most " + maxLength + " characters");
        }
        return value;
    }
}
