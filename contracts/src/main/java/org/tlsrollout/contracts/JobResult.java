package org.tlsrollout.contracts;

import java.util.List;

/** Body of {@code POST /api/v1/agents/{machineId}/jobs/{jobId}/result} (api.md). */
public record JobResult(JobOutcome outcome, String detail, List<PreviousValue> previousValues) {
    public JobResult {
        previousValues = previousValues == null ? List.of() : List.copyOf(previousValues);
    }
}
