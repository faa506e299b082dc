package org.tlsrollout.remediation.ingest;

/** The application stops while a batch waits for the database: the batch is left unacknowledged, for redelivery. */
public class IngestStoppedException extends RuntimeException {

    public IngestStoppedException(String message) {
        super(message, null, false, false);
    }
}
