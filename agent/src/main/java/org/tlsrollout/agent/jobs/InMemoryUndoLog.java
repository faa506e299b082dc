package org.tlsrollout.agent.jobs;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.tlsrollout.contracts.PreviousValue;

/** An undo log in memory: for the tests. */
public final class InMemoryUndoLog implements UndoLog {
    private final Map<String, UndoRecord> records = new ConcurrentHashMap<>();

    @Override
    public Optional<UndoRecord> get(String jobId) {
        return Optional.ofNullable(records.get(jobId));
    }

    @Override
    public void record(String jobId, PreviousValue before) {
        records.compute(jobId, (id, r) -> (r == null ? new UndoRecord(id, List.of(), null) : r).with(before));
    }

    @Override
    public void markUndone(String jobId, String byJobId) {
        records.computeIfPresent(jobId, (id, r) -> r.undoneBy(byJobId));
    }
}
