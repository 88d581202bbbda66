package io.billing.processing.handler;

/**
 * A handler's finding that its event cannot be applied as things stand and that the engine's retries would only fail
 * the same way: the data the event meets must change first, and only an operator can change it. The engine sends the
 * event to the dead letter ({@code FAILED}) at the attempt that throws it, with its message as the reason, instead of
 * retrying it on the backoff schedule; the operator retries or resolves it once the cause is dealt with.
 *
 * <p>Only for such findings: a failure that may pass (a lock, a timeout, a receiver down) is an ordinary exception
 * and is retried.
 */
public class DeadLetterException extends RuntimeException {

    public DeadLetterException(String message) {
        super(message);
    }
}
