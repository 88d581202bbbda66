package io.billing.inbox;

/**
 * The inbox could not confirm that an event is stored: the database failed or did not answer in time,
 * or the intake is saturated or shutting down. The sender should deliver again later; the event may or
 * may not have been stored, and a repeat delivery is harmless either way.
 */
public class InboxUnavailableException extends Exception {

    public InboxUnavailableException(String message) {
        super(message);
    }

    public InboxUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
