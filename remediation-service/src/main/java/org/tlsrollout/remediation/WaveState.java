package org.tlsrollout.remediation;

import java.util.EnumSet;
import java.util.Set;

/** The states of a wave (api.md, "remediation-service"), and which operator actions each allows. */
public enum WaveState {
    /** Created; the engine starts it at its next pass. */
    PLANNED,
    /** Issues the jobs of its current batch, and releases the next one once it reported within maxFailureRate. */
    RUNNING,
    /** Stopped by an operator: issues nothing; the jobs already issued stay pollable. */
    PAUSED,
    /** Stopped by the engine (failure rate above maxFailureRate, or the orphan gate closed): issues nothing more. */
    HALTED,
    /** Every batch issued and reported or expired. */
    COMPLETED,
    /** Stopped by an operator for good: its unreported jobs are cancelled and no longer served. */
    CANCELLED;

    /** The waves the engine advances. */
    public static final Set<WaveState> ACTIVE = EnumSet.of(PLANNED, RUNNING);

    public boolean canPause() {
        return this == PLANNED || this == RUNNING;
    }

    public boolean canResume() {
        return this == PAUSED || this == HALTED;
    }

    public boolean canCancel() {
        return this == PLANNED || this == RUNNING || this == PAUSED || this == HALTED;
    }

    /** A wave may be rolled back once it no longer issues jobs by itself. */
    public boolean canRollBack() {
        return this != PLANNED && this != RUNNING;
    }
}
