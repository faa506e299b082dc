package org.tlsrollout.agent.jobs;

import java.util.List;
import org.tlsrollout.contracts.JobResult;
import org.tlsrollout.contracts.MachineSnapshot;

/**
 * One job, handled: the result to report, and what must follow it (a restart, a new snapshot with the probes
 * a RUN_PROBES action made).
 */
public record HandledJob(String jobId, JobResult result, String restartReason, boolean snapshotRequested,
        List<MachineSnapshot.Probe> probes) {

    static HandledJob of(String jobId, JobResult result) {
        return new HandledJob(jobId, result, null, false, null);
    }
}
