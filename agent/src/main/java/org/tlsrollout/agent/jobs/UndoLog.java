package org.tlsrollout.agent.jobs;

import java.util.Optional;
import org.tlsrollout.contracts.PreviousValue;

/**
 * The agent's own undo log (rules.md, SET_REGISTRY_DWORD and UNDO_JOB): for each job it applied, the state each
 * registry value had before the job wrote it (a DWORD, or absent: {@code value} null). A value is recorded, durably,
 * before it is written; only its first state within a job is kept. {@link FileUndoLog} keeps a file per job in the
 * state folder; the simulator and the tests keep records in memory.
 */
public interface UndoLog {

    /** The record of a job this agent applied; empty when it holds none. */
    Optional<UndoRecord> get(String jobId);

    /** Records the state of one value before the job writes it; a value already recorded for the job stays as it was. */
    void record(String jobId, PreviousValue before);

    /** Notes that {@code byJobId} restored what the record holds; a later UNDO_JOB of the same job changes nothing. */
    void markUndone(String jobId, String byJobId);
}
