package org.tlsrollout.agent.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.tlsrollout.agent.host.Deployments;
import org.tlsrollout.agent.host.Host;
import org.tlsrollout.agent.host.Prober;
import org.tlsrollout.agent.registry.Registry;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.ActionPolicy;
import org.tlsrollout.contracts.ActionType;
import org.tlsrollout.contracts.JobClaims;
import org.tlsrollout.contracts.JobOutcome;
import org.tlsrollout.contracts.JobResult;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.PreviousValue;

/**
 * Applies the actions of a verified job, in order (rules.md, "Action types in a fix job"):
 * <ul>
 *   <li>SET_REGISTRY_DWORD: reads the previous value (null when absent), records it in the {@link UndoLog} and
 *       reports it, then writes through the
 *       {@link Registry} (which checks the allowlist again); a value already set is not rewritten;</li>
 *   <li>INSTALL_UPDATE / INSTALL_SOFTWARE: through {@link Deployments};</li>
 *   <li>RESTART_SERVICE: through {@link Host};</li>
 *   <li>RESTART: not made here; returned in {@link ApplyOutcome#restartReason()} so that the agent reports the
 *       result first and then restarts;</li>
 *   <li>RUN_PROBES: through {@link Prober}; a new snapshot follows;</li>
 *   <li>UNDO_JOB: restores what the {@link UndoLog} holds for that job (REJECTED when it holds nothing).</li>
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
    private final UndoLog undo;
    private final Set<String> laterRollups;

    /** An applier with an undo log in memory and the catalog's updates only: for tests. */
    public JobApplier(Registry registry, Deployments deployments, Host host, Prober prober, ActionHook hook) {
        this(registry, deployments, host, prober, hook, new InMemoryUndoLog(), Set.of());
    }

    /**
     * @param undo         where the previous state of each value written is recorded first, and UNDO_JOB reads it
     * @param laterRollups the KBs the estate configures as later rollups (INSTALL_UPDATE may name them)
     */
    public JobApplier(Registry registry, Deployments deployments, Host host, Prober prober, ActionHook hook,
            UndoLog undo, Set<String> laterRollups) {
        this.undo = Objects.requireNonNull(undo, "undo");
        this.laterRollups = Set.copyOf(laterRollups);
        this.registry = Objects.requireNonNull(registry, "registry");
        this.deployments = Objects.requireNonNull(deployments, "deployments");
        this.host = Objects.requireNonNull(host, "host");
        this.prober = Objects.requireNonNull(prober, "prober");
        this.hook = hook == null ? ActionHook.NONE : hook;
    }

    public ApplyOutcome apply(JobClaims job) {
        List<Action> actions = job.actions();
        for (int i = 0; i < actions.size(); i++) {
            Optional<String> refusal = ActionPolicy.refusal(actions.get(i), laterRollups);
            if (refusal.isPresent()) {
                return rejected(Verification.Reason.NOT_ALLOWED.text() + ": action " + (i + 1) + ": " + refusal.get());
            }
            Action a = actions.get(i);
            if (a.type() == ActionType.UNDO_JOB && undo.get(a.jobId()).isEmpty()) {
                return rejected("action " + (i + 1) + ": UNDO_JOB " + a.jobId()
                        + ": this agent holds no undo record of that job (it did not apply it, or the job wrote nothing)");
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
                        PreviousValue was = new PreviousValue(a.key(), a.name(),
                                before.isPresent() ? before.getAsLong() : null);
                        undo.record(job.jti(), was); // durably, before the write
                        previous.add(was);
                        if (before.isPresent() && before.getAsLong() == a.value()) {
                            unchanged++;
                        } else {
                            registry.writeDword(a.key(), a.name(), a.value());
                            written++;
                        }
                    }
                    case INSTALL_UPDATE -> {
                        deployments.installUpdate(a.kb(), java.time.Instant.ofEpochSecond(job.exp()));
                        notes.add("installed " + a.kb());
                    }
                    case INSTALL_SOFTWARE -> {
                        deployments.installSoftware(a.product(), a.minimumVersion(),
                                java.time.Instant.ofEpochSecond(job.exp()));
                        notes.add("installed " + a.product() + " " + a.minimumVersion());
                    }
                    case RESTART_SERVICE -> {
                        host.restartService(a.service());
                        notes.add("restarted " + a.service());
                    }
                    case RESTART -> restart = a.reason() == null || a.reason().isBlank()
                            ? "job " + job.jti() : a.reason();
                    case UNDO_JOB -> {
                        int[] counts = undo(job, a.jobId(), previous, notes);
                        written += counts[0];
                        unchanged += counts[1];
                    }
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

    /**
     * Restores what the undo log holds for {@code undone}, last written first: each previous DWORD written back, each
     * value that was absent deleted. The values it replaces go to {@code previous} (for audit). The UNDO_JOB job
     * records nothing in the undo log itself, so an undo cannot be undone; a job already undone is not restored
     * again (a repeated UNDO_JOB succeeds and changes nothing, even when later jobs changed the values since).
     *
     * @return values changed, values already as recorded
     */
    private int[] undo(JobClaims job, String undone, List<PreviousValue> previous, List<String> notes) {
        UndoRecord record = undo.get(undone).orElseThrow(() -> new IllegalStateException("no undo record of " + undone));
        if (record.undoneBy() != null) {
            notes.add("job " + undone + " was already undone by job " + record.undoneBy() + "; nothing changed");
            return new int[] {0, 0};
        }
        int changed = 0;
        int same = 0;
        List<PreviousValue> entries = record.previous();
        for (int i = entries.size() - 1; i >= 0; i--) {
            PreviousValue p = entries.get(i);
            OptionalLong now = registry.readDword(p.key(), p.name());
            previous.add(new PreviousValue(p.key(), p.name(), now.isPresent() ? now.getAsLong() : null));
            if (p.value() == null) {
                if (now.isPresent()) {
                    registry.deleteValue(p.key(), p.name());
                    changed++;
                } else {
                    same++;
                }
            } else if (now.isEmpty() || now.getAsLong() != p.value()) {
                registry.writeDword(p.key(), p.name(), p.value());
                changed++;
            } else {
                same++;
            }
        }
        undo.markUndone(undone, job.jti());
        notes.add("undid job " + undone + " (" + entries.size() + " values restored)");
        return new int[] {changed, same};
    }

    private static ApplyOutcome rejected(String detail) {
        return new ApplyOutcome(new JobResult(JobOutcome.REJECTED, detail, List.of()), null, false, null);
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
