package org.tlsrollout.agent.snapshot;

import java.util.List;
import org.tlsrollout.contracts.FieldError;

/** The agent built a snapshot that snapshot.schema.json refuses: a bug, never sent. */
public class InvalidSnapshotException extends IllegalStateException {
    private final transient List<FieldError> errors;

    public InvalidSnapshotException(String machineId, List<FieldError> errors) {
        super("the snapshot of " + machineId + " is invalid: " + errors);
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
