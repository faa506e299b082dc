package org.tlsrollout.agent.sim;

import java.util.List;

/**
 * What one cycle of every simulated agent did, summed.
 *
 * @param agents        agents that ran a cycle
 * @param cyclesFailed  cycles that ended in an error (network, a service answering 4xx/5xx after retries)
 * @param errors        up to ten of those errors, for a person to read
 */
public record FleetReport(int agents, int cyclesFailed, long enrollments, long snapshotsSent, long snapshotsDeferred,
        long succeeded, long failed, long rejected, long restarts, long retries, List<String> errors) {
}
