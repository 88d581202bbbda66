package io.billing.inbox;

/**
 * A request body that cannot be an event: not JSON, not an object, or missing a field the inbox needs.
 * {@link #code()} is the machine-readable error code returned to the sender.
 */
public class MalformedEventException extends Exception {

    private final String code;

    public MalformedEventException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
