package org.tlsrollout.contracts;

/** Action types in a fix job (rules.md, "Action types in a fix job"). */
public enum ActionType {
    SET_REGISTRY_DWORD,
    INSTALL_UPDATE,
    INSTALL_SOFTWARE,
    RUN_PROBES,
    RESTART,
    RESTART_SERVICE,
    /** Restores what the agent's own undo log holds for {@code jobId} (rules.md); a wave's rollback issues these. */
    UNDO_JOB
}
