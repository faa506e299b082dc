package org.tlsrollout.agent;

import java.nio.file.Path;
import org.tlsrollout.agent.jobs.FileResultStore;
import org.tlsrollout.agent.jobs.FileSequenceStore;

/**
 * The state of an agent on a real machine, in its state folder: {@code job.seq} (last applied job),
 * {@code snapshot.seq}, {@code results/} (undelivered results). The token, the pending snapshot and when the
 * machine was last reported stay in memory: after a restart the agent enrolls again and reports a new snapshot.
 */
public final class FileAgentState extends StoreBackedAgentState {

    public FileAgentState(Path stateDir) {
        super(new FileSequenceStore(stateDir.resolve("job.seq")), new FileSequenceStore(stateDir.resolve("snapshot.seq")),
                new FileResultStore(stateDir.resolve("results")));
    }
}
