package org.tlsrollout.agent.jobs;

import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.JobClaims;

/**
 * Called by {@link JobApplier} before each action of a verified job; throwing fails the job at that action
 * (what was done before is still reported). A place for a maintenance-window check on a real machine, and for
 * the simulator's deterministic failures.
 */
@FunctionalInterface
public interface ActionHook {
    void beforeAction(JobClaims job, int index, Action action);

    ActionHook NONE = (job, index, action) -> { };
}
