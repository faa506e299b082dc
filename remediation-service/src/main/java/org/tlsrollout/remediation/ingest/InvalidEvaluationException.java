package org.tlsrollout.remediation.ingest;

/** An evaluation record that can never be applied; it goes to the dead-letter topic with this message as reason. */
public class InvalidEvaluationException extends RuntimeException {

    public InvalidEvaluationException(String message) {
        super(message, null, false, false);
    }

    public InvalidEvaluationException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
