package org.tlsrollout.remediation.machine;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
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

    /** The column of table {@code machine} that holds the stored state of {@code phase}. */
    public static String stateColumn(Phase phase) {
        return switch (phase) {
            case CLIENTS -> "clients_state";
            case SITE_SYSTEMS -> "site_systems_state";
            case VERIFY -> "verify_state";
            case DISABLE_LEGACY -> "disable_legacy_state";
        };
    }

    /**
     * An SQL condition on {@code machine m} that holds when {@code m} shows {@code state} in {@code phase}: the query
     * form of {@link #shown(PhaseState, boolean, boolean)}, with the values of its {@code ?} in order. It keeps to
     * plain comparisons so that the indexes on the phase states and on {@code collected_at} serve it.
     */
    public static Filter filter(Phase phase, PhaseState state, Instant staleBefore) {
        String stored = "m." + stateColumn(phase);
        String notApplicable = PhaseState.NOT_APPLICABLE.name();
        return switch (state) {
            // Stored as anything but NOT_APPLICABLE, and collected before the cut-off.
            case STALE -> new Filter(stored + " <> ? AND m.collected_at < ?", List.of(notApplicable, staleBefore));
            // Never turns stale nor pending.
            case NOT_APPLICABLE -> new Filter(stored + " = ?", List.of(state.name()));
            // Never stored: a restart pending in this phase, on a fresh machine the phase applies to.
            case PENDING_RESTART -> new Filter(stored + " <> ? AND m.collected_at >= ? AND m.pending_restart_phase = ?",
                    List.of(notApplicable, staleBefore, phase.name()));
            // Stored so, fresh (or never reported: not stale), and no restart pending in this phase.
            default -> new Filter(stored + " = ? AND (m.collected_at IS NULL OR m.collected_at >= ?)"
                    + " AND (m.pending_restart_phase IS NULL OR m.pending_restart_phase <> ?)",
                    List.of(state.name(), staleBefore, phase.name()));
        };
    }

    /** An SQL condition on {@code machine m} and the values of its {@code ?} placeholders, in order. */
    public record Filter(String sql, List<Object> parameters) {
    }
}
