package org.tlsrollout.agent.sim;

import org.tlsrollout.agent.jobs.ActionHook;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.JobClaims;

/**
 * Makes a share of the jobs fail, deterministically: whether a job fails, and at which action, follow from the
 * estate seed, the machine and the job's {@code seq} and phase (not its random id), so a rerun of the same
 * rollout fails the same jobs. The failures are the ones such estates see: access denied on a registry key,
 * Windows Update and MSI errors, a service that does not stop, a restart refused outside the maintenance window.
 */
public final class SimulatedFailures implements ActionHook {
    private final long seed;
    private final int machine;
    private final double rate;

    public SimulatedFailures(long seed, int machine, double rate) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("failure rate must be within 0..1");
        }
        this.seed = seed;
        this.machine = machine;
        this.rate = rate;
    }

    /** Whether this job fails on this machine. */
    public boolean fails(JobClaims job) {
        if (rate == 0 || job.actions().isEmpty()) {
            return false;
        }
        long h = EstateGenerator.mix(EstateGenerator.mix(seed, machine), job.seq() * 31 + job.phase().ordinal());
        return (h >>> 11) * 0x1.0p-53 < rate;
    }

    /** The index of the action a failing job fails at. */
    public int failingAction(JobClaims job) {
        long h = EstateGenerator.mix(EstateGenerator.mix(seed, ~machine), job.seq());
        return (int) Math.floorMod(h, (long) job.actions().size());
    }

    @Override
    public void beforeAction(JobClaims job, int index, Action action) {
        if (index != failingAction(job) || !fails(job)) {
            return;
        }
        throw new SimulatedFault(switch (action.type()) {
            case SET_REGISTRY_DWORD -> "ERROR: Access is denied. (" + action.key() + ")";
            case INSTALL_UPDATE -> "0x80240022 WU_E_ALL_UPDATES_FAILED: " + action.kb() + " did not install";
            case INSTALL_SOFTWARE -> "0x80070643 ERROR_INSTALL_FAILURE: Fatal error during installation of "
                    + action.product();
            case RESTART_SERVICE -> "the " + action.service() + " service did not respond to the stop request in time";
            case RESTART -> "restart refused: outside the maintenance window";
            case RUN_PROBES -> "the probes did not finish in time";
            case UNDO_JOB -> "the undo log of job " + action.jobId() + " could not be read";
        });
    }

    /** A failure the simulator made on purpose. */
    public static final class SimulatedFault extends RuntimeException {
        public SimulatedFault(String message) {
            super(message);
        }
    }
}
