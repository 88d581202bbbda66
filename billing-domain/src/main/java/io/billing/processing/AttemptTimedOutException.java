package io.billing.processing;

/** An attempt ran past its time ({@link EngineSettings#attemptTimeout()}); it is rolled back and counts as failed. */
public class AttemptTimedOutException extends RuntimeException {

    public AttemptTimedOutException(String message) {
        super(message);
    }
}
