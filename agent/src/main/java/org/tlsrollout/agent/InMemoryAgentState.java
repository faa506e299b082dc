package org.tlsrollout.agent;

import java.time.Instant;
import org.tlsrollout.agent.jobs.InMemoryResultStore;
import org.tlsrollout.agent.jobs.InMemorySequenceStore;
import org.tlsrollout.agent.jobs.ResultStore;
import org.tlsrollout.agent.jobs.SequenceStore;
import org.tlsrollout.contracts.MachineSnapshot;

/** Agent state in memory only: for tests. */
public final class InMemoryAgentState implements AgentState {
    private final SequenceStore jobSequence;
    private final SequenceStore snapshotSequence = new InMemorySequenceStore();
    private final ResultStore results = new InMemoryResultStore();
    private volatile String token;
    private volatile Instant tokenExpiresAt;
    private volatile MachineSnapshot pending;

    public InMemoryAgentState() {
        this(new InMemorySequenceStore());
    }

    public InMemoryAgentState(SequenceStore jobSequence) {
        this.jobSequence = jobSequence;
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
}
