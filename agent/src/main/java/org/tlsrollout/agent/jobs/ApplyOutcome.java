package org.tlsrollout.agent.jobs;

import java.util.List;
import org.tlsrollout.contracts.JobResult;
import org.tlsrollout.contracts.MachineSnapshot;

/**
 * What applying a job gave: the result to report, the restart it asks for (made after the result is
 * reported; null when none), whether a new snapshot must follow, and the probes a RUN_PROBES action made.
 */
public record ApplyOutcome(JobResult result, String restartReason, boolean snapshotRequested,
        List<MachineSnapshot.Probe> probes) {
}
