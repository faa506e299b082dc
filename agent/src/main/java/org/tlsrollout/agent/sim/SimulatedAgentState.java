package org.tlsrollout.agent.sim;

import java.security.KeyPair;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.tlsrollout.agent.AgentState;
import org.tlsrollout.agent.identity.AgentKeys;
import org.tlsrollout.agent.jobs.ResultStore;
import org.tlsrollout.agent.jobs.SequenceStore;
import org.tlsrollout.agent.jobs.UndoLog;
import org.tlsrollout.agent.jobs.UndoRecord;
import org.tlsrollout.contracts.PreviousValue;
import org.tlsrollout.contracts.JobResult;
import org.tlsrollout.contracts.MachineSnapshot;

/** A simulated machine's agent state, kept in the machine's own fields (no objects while nothing is pending). */
final class SimulatedAgentState implements AgentState {
    private final SimulatedMachine m;

    SimulatedAgentState(SimulatedMachine m) {
        this.m = m;
    }

    static SequenceStore snapshotSequence(SimulatedMachine m) {
        return new SequenceStore() {
            @Override
            public long last() {
                synchronized (m) {
                    return m.snapshotSeq;
                }
            }

            @Override
            public boolean advance(long seq) {
                synchronized (m) {
                    if (seq <= m.snapshotSeq) {
                        return false;
                    }
                    m.snapshotSeq = seq;
                    return true;
                }
            }
        };
    }

    @Override
    public KeyPair identity() {
        synchronized (m) {
            if (m.identity == null) {
                m.identity = AgentKeys.generate();
            }
            return m.identity;
        }
    }

    @Override
    public SequenceStore jobSequence() {
        return new SequenceStore() {
            @Override
            public long last() {
                synchronized (m) {
                    return m.jobSeq;
                }
            }

            @Override
            public boolean advance(long seq) {
                synchronized (m) {
                    if (seq <= m.jobSeq) {
                        return false;
                    }
                    m.jobSeq = seq;
                    return true;
                }
            }
        };
    }

    @Override
    public SequenceStore snapshotSequence() {
        return snapshotSequence(m);
    }

    @Override
    public ResultStore results() {
        return new ResultStore() {
            @Override
            public void put(String jobId, JobResult result) {
                synchronized (m) {
                    if (m.results == null) {
                        m.results = new LinkedHashMap<>(2);
                    }
                    m.results.put(jobId, result);
                }
            }

            @Override
            public Optional<JobResult> get(String jobId) {
                synchronized (m) {
                    return m.results == null ? Optional.empty() : Optional.ofNullable(m.results.get(jobId));
                }
            }

            @Override
            public void remove(String jobId) {
                synchronized (m) {
                    if (m.results != null) {
                        m.results.remove(jobId);
                        if (m.results.isEmpty()) {
                            m.results = null;
                        }
                    }
                }
            }

            @Override
            public Set<String> jobIds() {
                synchronized (m) {
                    return m.results == null ? Set.of() : new LinkedHashSet<>(m.results.keySet());
                }
            }
        };
    }

    @Override
    public UndoLog undoLog() {
        return new UndoLog() {
            @Override
            public Optional<UndoRecord> get(String jobId) {
                synchronized (m) {
                    return m.undo == null ? Optional.empty() : Optional.ofNullable(m.undo.get(jobId));
                }
            }

            @Override
            public void record(String jobId, PreviousValue before) {
                synchronized (m) {
                    if (m.undo == null) {
                        m.undo = new HashMap<>(2);
                    }
                    m.undo.compute(jobId, (id, r) -> (r == null ? new UndoRecord(id, List.of(), null) : r).with(before));
                }
            }

            @Override
            public void markUndone(String jobId, String byJobId) {
                synchronized (m) {
                    if (m.undo != null) {
                        m.undo.computeIfPresent(jobId, (id, r) -> r.undoneBy(byJobId));
                    }
                }
            }
        };
    }

    @Override
    public String token() {
        synchronized (m) {
            return m.token;
        }
    }

    @Override
    public Instant tokenExpiresAt() {
        synchronized (m) {
            return m.token == null || m.tokenExpiresEpochSecond == 0 ? null
                    : Instant.ofEpochSecond(m.tokenExpiresEpochSecond);
        }
    }

    @Override
    public void token(String token, Instant expiresAt) {
        synchronized (m) {
            m.token = token;
            m.tokenExpiresEpochSecond = expiresAt == null ? 0 : expiresAt.getEpochSecond();
        }
    }

    @Override
    public MachineSnapshot pendingSnapshot() {
        synchronized (m) {
            return m.pendingSnapshot;
        }
    }

    @Override
    public void pendingSnapshot(MachineSnapshot snapshot) {
        synchronized (m) {
            m.pendingSnapshot = snapshot;
        }
    }

    @Override
    public Instant lastReportedAt() {
        synchronized (m) {
            return m.lastReportedEpochMilli == 0 ? null : Instant.ofEpochMilli(m.lastReportedEpochMilli);
        }
    }

    @Override
    public void lastReportedAt(Instant at) {
        synchronized (m) {
            m.lastReportedEpochMilli = at == null ? 0 : Math.max(1, at.toEpochMilli());
        }
    }
}
