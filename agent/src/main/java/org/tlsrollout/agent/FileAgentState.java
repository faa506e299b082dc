package org.tlsrollout.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.tlsrollout.agent.identity.AgentKeys;
import org.tlsrollout.agent.identity.OwnerOnlyFiles;
import org.tlsrollout.agent.jobs.FileResultStore;
import org.tlsrollout.agent.jobs.FileSequenceStore;
import org.tlsrollout.agent.jobs.FileUndoLog;

/**
 * The state of an agent on a real machine, in its state folder (created owner-only): {@code agent-key.pem} (the
 * machine's key pair, owner-only), {@code job.seq} (last applied job), {@code snapshot.seq}, {@code results/}
 * (undelivered results), {@code undo/} (the undo log, a file per job applied). The token, the pending snapshot and when the machine was last reported stay in memory:
 * after a restart the agent enrolls again and reports a new snapshot.
 */
public final class FileAgentState extends StoreBackedAgentState {

    public FileAgentState(Path stateDir) {
        super(new FileSequenceStore(stateDir.resolve("job.seq")), new FileSequenceStore(stateDir.resolve("snapshot.seq")),
                new FileResultStore(stateDir.resolve("results")), new FileUndoLog(stateDir.resolve("undo")), () -> AgentKeys.loadOrCreate(stateDir));
        try {
            OwnerOnlyFiles.createDirectories(stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the state folder " + stateDir, e);
        }
    }
}
