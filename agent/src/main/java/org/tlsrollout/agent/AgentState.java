package org.tlsrollout.agent;

import java.security.KeyPair;
import java.time.Instant;
import org.tlsrollout.agent.jobs.ResultStore;
import org.tlsrollout.agent.jobs.SequenceStore;
import org.tlsrollout.agent.jobs.UndoLog;
import org.tlsrollout.contracts.MachineSnapshot;

/**
 * What one agent keeps between cycles: its token, the snapshot not yet accepted (never dropped: sent again
 * before a new one is collected), when the machine was last reported as it is, the results not yet delivered,
 * the last applied job {@code seq} and its snapshot counter. {@link FileAgentState} keeps the sequences and
 * results on disk; the simulator keeps them in each simulated machine.
 */
public interface AgentState {
    /**
     * The machine's own EC P-256 key pair (api.md, Authentication), made on first use and kept: on disk owner-only
     * for a real agent, in memory for the simulator and the tests.
     */
    KeyPair identity();

    SequenceStore jobSequence();

    SequenceStore snapshotSequence();

    ResultStore results();

    /** The undo log of the jobs this agent applied (rules.md, UNDO_JOB). */
    UndoLog undoLog();

    /** The agent token, or null before enrollment or after a 401. */
    String token();

    Instant tokenExpiresAt();

    void token(String token, Instant expiresAt);

    MachineSnapshot pendingSnapshot();

    void pendingSnapshot(MachineSnapshot snapshot);

    /**
     * When the collector accepted the last snapshot that still describes the machine; null when there is none:
     * no snapshot accepted yet (kept in memory, so a restarted agent reports at once), or a job changed the
     * machine since.
     */
    Instant lastReportedAt();

    void lastReportedAt(Instant at);
}
