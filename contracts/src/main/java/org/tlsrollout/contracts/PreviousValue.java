package org.tlsrollout.contracts;

/**
 * A registry value as it was before a job wrote it, reported for rollback. {@code value} null means the value
 * did not exist.
 */
public record PreviousValue(String key, String name, Long value) {
}
