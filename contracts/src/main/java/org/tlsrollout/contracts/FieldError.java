package org.tlsrollout.contracts;

/**
 * One invalid field of a request: {@code field} is a JSON Pointer (RFC 6901) into the document, {@code ""}
 * for the document itself.
 */
public record FieldError(String field, String message) {
}
