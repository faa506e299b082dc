package org.tlsrollout.remediation.machine;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.remediation.Machine;
import org.tlsrollout.remediation.config.RemediationConfig;

/**
 * What a machine shows in a phase, as opposed to what rules-service stored (rules.md, "State of one machine in one
 * phase"): the one place of that rule for the machine view, the list filter, progress, the waves and the metrics.
 * <ul>
 * <li>{@code STALE}: the newest snapshot was collected before {@link #staleBefore()} (now minus
 * {@code remediation.staleness-window}); shown in every phase whose stored state is not {@code NOT_APPLICABLE}.
 * Never stored: every query compares {@code collected_at} with the cut-off in SQL, so a machine turns stale without
 * any write.</li>
 * <li>{@code PENDING_RESTART}: a job of the phase succeeded and asked for a restart that no snapshot has shown yet
 * ({@code machine.pending_restart_phase}, set when the job is reported, cleared by an evaluation whose
 * {@code lastBootAt} is not before the report). Shown in that phase unless the machine is stale or the phase does not
 * apply to it.</li>
 * </ul>
 */
@ApplicationScoped
public class PhaseStates {
    private final RemediationConfig config;
    private final Clock clock;

    public PhaseStates(RemediationConfig config) {
        this.config = config;
        this.clock = Clock.systemUTC();
    }

    /** Snapshots collected before this instant are stale. */
    public Instant staleBefore() {
        return clock.instant().minus(config.stalenessWindow());
    }

    /** The state shown for a stored state, given whether the machine's newest snapshot is stale. */
    public static PhaseState shown(PhaseState stored, boolean stale) {
        return shown(stored, stale, false);
    }

    /**
     * The state shown for a stored state, given whether the machine's newest snapshot is stale and whether a restart
     * is pending in this phase.
     */
    public static PhaseState shown(PhaseState stored, boolean stale, boolean pendingRestart) {
        if (stored == PhaseState.NOT_APPLICABLE) {
            return stored;
        }
        if (stale) {
            return PhaseState.STALE;
        }
        return pendingRestart ? PhaseState.PENDING_RESTART : stored;
    }

    /** The states shown in every phase, in phase order. */
    public static Map<Phase, PhaseState> shown(Machine machine, boolean stale) {
        Map<Phase, PhaseState> phases = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            phases.put(phase, shown(machine.storedState(phase), stale, machine.pendingRestartPhase == phase));
        }
        return phases;
    }

    /**
     * An HQL condition on {@code Machine m} that holds when {@code m} shows {@code state} in {@code phase}: the query
     * form of {@link #shown(PhaseState, boolean, boolean)}, with its parameters. It keeps to plain comparisons so
     * that the indexes on the phase states and on {@code collected_at} serve it.
     */
    public static Filter filter(Phase phase, PhaseState state, Instant staleBefore) {
        String stored = "m." + Machine.stateAttribute(phase);
        return switch (state) {
            // Stored as anything but NOT_APPLICABLE, and collected before the cut-off.
            case STALE -> new Filter(stored + " <> :notApplicable and m.collectedAt < :staleBefore",
                    Map.of("notApplicable", PhaseState.NOT_APPLICABLE, "staleBefore", staleBefore));
            // Never turns stale nor pending.
            case NOT_APPLICABLE -> new Filter(stored + " = :state", Map.of("state", state));
            // Never stored: a restart pending in this phase, on a fresh machine the phase applies to.
            case PENDING_RESTART -> new Filter(stored + " <> :notApplicable and m.collectedAt >= :staleBefore"
                    + " and m.pendingRestartPhase = :pendingPhase",
                    Map.of("notApplicable", PhaseState.NOT_APPLICABLE, "staleBefore", staleBefore,
                            "pendingPhase", phase));
            // Stored so, fresh (or never reported: not stale), and no restart pending in this phase.
            default -> new Filter(stored + " = :state and (m.collectedAt is null or m.collectedAt >= :staleBefore)"
                    + " and (m.pendingRestartPhase is null or m.pendingRestartPhase <> :pendingPhase)",
                    Map.of("state", state, "staleBefore", staleBefore, "pendingPhase", phase));
        };
    }

    /** An HQL condition on {@code Machine m} and the values of its named parameters. */
    public record Filter(String hql, Map<String, Object> parameters) {
    }
}
