package org.tlsrollout.remediation.service;

/** The application stops while a batch waits for the database: the batch is left unacknowledged, for redelivery. */
public class IngestStoppedException extends RuntimeException {

    public IngestStoppedException(String message) {
        super(message, null, false, false);
    }
}
