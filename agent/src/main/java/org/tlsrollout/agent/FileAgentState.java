package org.tlsrollout.agent;

import java.nio.file.Path;
import java.time.Instant;
import org.tlsrollout.agent.jobs.FileResultStore;
import org.tlsrollout.agent.jobs.FileSequenceStore;
import org.tlsrollout.agent.jobs.ResultStore;
import org.tlsrollout.agent.jobs.SequenceStore;
import org.tlsrollout.contracts.MachineSnapshot;

/**
 * The state of an agent on a real machine, in its state folder: {@code job.seq} (last applied job),
 * {@code snapshot.seq}, {@code results/} (undelivered results). The token and the pending snapshot stay in
 * memory: after a restart the agent enrolls again and collects a new snapshot.
 */
public final class FileAgentState implements AgentState {
    private final SequenceStore jobSequence;
    private final SequenceStore snapshotSequence;
    private final ResultStore results;
    private volatile String token;
    private volatile Instant tokenExpiresAt;
    private volatile MachineSnapshot pending;

    public FileAgentState(Path stateDir) {
        this.jobSequence = new FileSequenceStore(stateDir.resolve("job.seq"));
        this.snapshotSequence = new FileSequenceStore(stateDir.resolve("snapshot.seq"));
        this.results = new FileResultStore(stateDir.resolve("results"));
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
