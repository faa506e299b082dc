package org.tlsrollout.agent.jobs;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tlsrollout.contracts.JobResult;

/** Undelivered results in memory. */
public final class InMemoryResultStore implements ResultStore {
    private final Map<String, JobResult> results = new LinkedHashMap<>(2);

    @Override
    public synchronized void put(String jobId, JobResult result) {
        results.put(jobId, result);
    }

    @Override
    public synchronized Optional<JobResult> get(String jobId) {
        return Optional.ofNullable(results.get(jobId));
    }

    @Override
    public synchronized void remove(String jobId) {
        results.remove(jobId);
    }

    @Override
    public synchronized Set<String> jobIds() {
        return new LinkedHashSet<>(results.keySet());
    }

    public synchronized boolean isEmpty() {
        return results.isEmpty();
    }
}
