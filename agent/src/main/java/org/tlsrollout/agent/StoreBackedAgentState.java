package org.tlsrollout.agent;

import java.security.KeyPair;
import java.time.Instant;
import java.util.function.Supplier;
import org.tlsrollout.agent.jobs.ResultStore;
import org.tlsrollout.agent.jobs.SequenceStore;
import org.tlsrollout.agent.jobs.UndoLog;
import org.tlsrollout.contracts.MachineSnapshot;

/**
 * Agent state over given sequence and result stores; the token, the pending snapshot and when the machine was
 * last reported stay in memory (after a restart the agent enrolls again and reports a new snapshot).
 */
abstract class StoreBackedAgentState implements AgentState {
    private final SequenceStore jobSequence;
    private final SequenceStore snapshotSequence;
    private final ResultStore results;
    private final Supplier<KeyPair> keys;
    private final UndoLog undoLog;
    private volatile KeyPair identity;
    private volatile String token;
    private volatile Instant tokenExpiresAt;
    private volatile MachineSnapshot pending;
    private volatile Instant lastReportedAt;

    StoreBackedAgentState(SequenceStore jobSequence, SequenceStore snapshotSequence, ResultStore results,
            UndoLog undoLog, Supplier<KeyPair> keys) {
        this.keys = keys;
        this.undoLog = undoLog;
        this.jobSequence = jobSequence;
        this.snapshotSequence = snapshotSequence;
        this.results = results;
    }

    @Override
    public KeyPair identity() {
        KeyPair k = identity;
        if (k == null) {
            synchronized (this) {
                if (identity == null) {
                    identity = keys.get();
                }
                k = identity;
            }
        }
        return k;
    }

    @Override
    public SequenceStore jobSequence() {
        return jobSequence;
    }

    @Override
    public SequenceStore snapshotSequence() {
        return snapshotSequence;
    }

    @Override
    public ResultStore results() {
        return results;
    }

    @Override
    public UndoLog undoLog() {
        return undoLog;
    }

    @Override
    public String token() {
        return token;
    }

    @Override
    public Instant tokenExpiresAt() {
        return tokenExpiresAt;
    }

    @Override
    public void token(String token, Instant expiresAt) {
        this.token = token;
        this.tokenExpiresAt = expiresAt;
    }

    @Override
    public MachineSnapshot pendingSnapshot() {
        return pending;
    }

    @Override
    public void pendingSnapshot(MachineSnapshot snapshot) {
        this.pending = snapshot;
    }

    @Override
    public Instant lastReportedAt() {
        return lastReportedAt;
    }

    @Override
    public void lastReportedAt(Instant at) {
        this.lastReportedAt = at;
    }
}
