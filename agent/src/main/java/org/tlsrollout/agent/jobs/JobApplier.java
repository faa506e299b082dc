package org.tlsrollout.agent.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.tlsrollout.agent.host.Deployments;
import org.tlsrollout.agent.host.Host;
import org.tlsrollout.agent.host.Prober;
import org.tlsrollout.agent.registry.Registry;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.ActionPolicy;
import org.tlsrollout.contracts.JobClaims;
import org.tlsrollout.contracts.JobOutcome;
import org.tlsrollout.contracts.JobResult;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.PreviousValue;

/**
 * Applies the actions of a verified job, in order (rules.md, "Action types in a fix job"):
 * <ul>
 *   <li>SET_REGISTRY_DWORD: reads and records the previous value (null when absent), then writes through the
 *       {@link Registry} (which checks the allowlist again); a value already set is not rewritten;</li>
 *   <li>INSTALL_UPDATE / INSTALL_SOFTWARE: through {@link Deployments};</li>
 *   <li>RESTART_SERVICE: through {@link Host};</li>
 *   <li>RESTART: not made here; returned in {@link ApplyOutcome#restartReason()} so that the agent reports the
 *       result first and then restarts;</li>
 *   <li>RUN_PROBES: through {@link Prober}; a new snapshot follows.</li>
 * </ul>
 * The first failing action ends the job: FAILED with what failed, and the previous values of everything
 * already written, for rollback. A job with any action the allowlist refuses is REJECTED before anything is
 * touched, whoever verified it.
 */
public final class JobApplier {
    private final Registry registry;
    private final Deployments deployments;
    private final Host host;
    private final Prober prober;
    private final ActionHook hook;

    public JobApplier(Registry registry, Deployments deployments, Host host, Prober prober, ActionHook hook) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.deployments = Objects.requireNonNull(deployments, "deployments");
        this.host = Objects.requireNonNull(host, "host");
        this.prober = Objects.requireNonNull(prober, "prober");
        this.hook = hook == null ? ActionHook.NONE : hook;
    }

    public ApplyOutcome apply(JobClaims job) {
        List<Action> actions = job.actions();
        for (int i = 0; i < actions.size(); i++) {
            Optional<String> refusal = ActionPolicy.refusal(actions.get(i));
            if (refusal.isPresent()) {
                return new ApplyOutcome(new JobResult(JobOutcome.REJECTED,
                        Verification.Reason.NOT_ALLOWED.text() + ": action " + (i + 1) + ": " + refusal.get(),
                        List.of()), null, false, null);
            }
        }
        List<PreviousValue> previous = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String restart = null;
        List<MachineSnapshot.Probe> probes = null;
        int written = 0;
        int unchanged = 0;
        Boolean x64 = null;
        for (int i = 0; i < actions.size(); i++) {
            Action a = actions.get(i);
            try {
                hook.beforeAction(job, i, a);
                switch (a.type()) {
                    case SET_REGISTRY_DWORD -> {
                        if (Registry.isWow(a.key())) {
                            if (x64 == null) {
                                x64 = host.facts().isX64();
                            }
                            if (!x64) {
                                notes.add("skipped " + a.key() + "\\" + a.name() + " (no 32-bit view on x86)");
                                continue;
                            }
                        }
                        OptionalLong before = registry.readDword(a.key(), a.name());
                        previous.add(new PreviousValue(a.key(), a.name(),
                                before.isPresent() ? before.getAsLong() : null));
                        if (before.isPresent() && before.getAsLong() == a.value()) {
                            unchanged++;
                        } else {
                            registry.writeDword(a.key(), a.name(), a.value());
                            written++;
                        }
                    }
                    case INSTALL_UPDATE -> {
                        deployments.installUpdate(a.kb());
                        notes.add("installed " + a.kb());
                    }
                    case INSTALL_SOFTWARE -> {
                        deployments.installSoftware(a.product(), a.minimumVersion());
                        notes.add("installed " + a.product() + " " + a.minimumVersion());
                    }
                    case RESTART_SERVICE -> {
                        host.restartService(a.service());
                        notes.add("restarted " + a.service());
                    }
                    case RESTART -> restart = a.reason() == null || a.reason().isBlank()
                            ? "job " + job.jti() : a.reason();
                    case UNDO_JOB -> throw new UnsupportedOperationException("UNDO_JOB is not supported by this agent yet");
                    case RUN_PROBES -> {
                        probes = prober.probe();
                        long failed = probes.stream().filter(p -> !p.ok()).count();
                        notes.add("ran " + probes.size() + " probes, " + failed + " failed");
                    }
                }
            } catch (RuntimeException e) {
                if (written > 0) {
                    host.restartRequired();
                }
                String detail = "action " + (i + 1) + " of " + actions.size() + " (" + describe(a) + ") failed: "
                        + message(e) + summary(written, unchanged, notes, null);
                return new ApplyOutcome(new JobResult(JobOutcome.FAILED, detail, previous), null, false, null);
            }
        }
        if (written > 0) {
            host.restartRequired();
        }
        String detail = "applied " + actions.size() + " actions" + summary(written, unchanged, notes, restart);
        return new ApplyOutcome(new JobResult(JobOutcome.SUCCEEDED, detail, previous), restart,
                restart != null || probes != null, probes);
    }

    private static String summary(int written, int unchanged, List<String> notes, String restart) {
        StringBuilder s = new StringBuilder();
        if (written > 0 || unchanged > 0) {
            s.append("; wrote ").append(written).append(" registry values");
            if (unchanged > 0) {
                s.append(" (").append(unchanged).append(" already set)");
            }
        }
        for (String n : notes) {
            s.append("; ").append(n);
        }
        if (restart != null) {
            s.append("; restarting: ").append(restart);
        }
        return s.toString();
    }

    static String describe(Action a) {
        return switch (a.type()) {
            case SET_REGISTRY_DWORD -> "SET_REGISTRY_DWORD " + a.key() + "\\" + a.name() + "=0x" + Long.toHexString(a.value());
            case INSTALL_UPDATE -> "INSTALL_UPDATE " + a.kb();
            case INSTALL_SOFTWARE -> "INSTALL_SOFTWARE " + a.product() + " " + a.minimumVersion();
            case RESTART_SERVICE -> "RESTART_SERVICE " + a.service();
            case RESTART -> "RESTART";
            case RUN_PROBES -> "RUN_PROBES";
            case UNDO_JOB -> "UNDO_JOB " + a.jobId();
        };
    }

    private static String message(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
