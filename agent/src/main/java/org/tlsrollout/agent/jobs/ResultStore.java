package org.tlsrollout.agent.jobs;

import java.util.Optional;
import java.util.Set;
import org.tlsrollout.contracts.JobResult;

/**
 * Results the agent has decided but the remediation service has not yet acknowledged, by job id. A job's
 * result is kept here before the job's {@code seq} is taken and until the result is delivered, so that a lost
 * answer (503, network, crash) is sent again instead of the job being re-verified, which would report it as
 * replayed.
 */
public interface ResultStore {
    void put(String jobId, JobResult result);

    Optional<JobResult> get(String jobId);

    void remove(String jobId);

    Set<String> jobIds();
}
