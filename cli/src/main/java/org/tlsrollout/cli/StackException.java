package org.tlsrollout.cli;

/** A failure to tell the person at the terminal, in words that say what to do. */
public class StackException extends RuntimeException {
    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
