package org.tlsrollout.agent;

import org.tlsrollout.agent.identity.AgentKeys;
import org.tlsrollout.agent.jobs.InMemoryResultStore;
import org.tlsrollout.agent.jobs.InMemoryUndoLog;
import org.tlsrollout.agent.jobs.InMemorySequenceStore;
import org.tlsrollout.agent.jobs.SequenceStore;

/** Agent state in memory only: for tests. */
public final class InMemoryAgentState extends StoreBackedAgentState {

    public InMemoryAgentState() {
        this(new InMemorySequenceStore());
    }

    public InMemoryAgentState(SequenceStore jobSequence) {
        super(jobSequence, new InMemorySequenceStore(), new InMemoryResultStore(), new InMemoryUndoLog(), AgentKeys::generate);
    }
}
