package org.tlsrollout.remediation.service;

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
 * phase"): the one place of that rule for the machine view, the list filter, progress and the metrics.
 * <ul>
 * <li>{@code STALE}: the newest snapshot was collected before {@link #staleBefore()} (now minus
 * {@code remediation.staleness-window}); shown in every phase whose stored state is not {@code NOT_APPLICABLE}.
 * Never stored: every query compares {@code collected_at} with the cut-off in SQL, so a machine turns stale without
 * any write.</li>
 * <li>{@code PENDING_RESTART}: comes with the fix jobs (issue #3), from a succeeded job that asked for a restart not
 * yet reported. It has no source yet, so nothing shows it; {@link #shown} and {@link #filter} are where it goes.</li>
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
        if (stale && stored != PhaseState.NOT_APPLICABLE) {
            return PhaseState.STALE;
        }
        return stored;
    }

    /** The states shown in every phase, in phase order. */
    public static Map<Phase, PhaseState> shown(Machine machine, boolean stale) {
        Map<Phase, PhaseState> phases = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            phases.put(phase, shown(machine.storedState(phase), stale));
        }
        return phases;
    }

    /**
     * An HQL condition on {@code Machine m} that holds when {@code m} shows {@code state} in {@code phase}: the query
     * form of {@link #shown(PhaseState, boolean)}, with its parameters. It keeps to plain comparisons so that the
     * indexes on the phase states and on {@code collected_at} serve it.
     */
    public static Filter filter(Phase phase, PhaseState state, Instant staleBefore) {
        String stored = "m." + Machine.stateAttribute(phase);
        return switch (state) {
            // Stored as anything but NOT_APPLICABLE, and collected before the cut-off.
            case STALE -> new Filter(stored + " <> :notApplicable and m.collectedAt < :staleBefore",
                    Map.of("notApplicable", PhaseState.NOT_APPLICABLE, "staleBefore", staleBefore));
            // Never turns stale.
            case NOT_APPLICABLE -> new Filter(stored + " = :state", Map.of("state", state));
            // Stored so and fresh. PENDING_RESTART is never stored, so it matches nothing until issue #3 derives it.
            default -> new Filter(stored + " = :state and m.collectedAt >= :staleBefore",
                    Map.of("state", state, "staleBefore", staleBefore));
        };
    }

    /** An HQL condition on {@code Machine m} and the values of its named parameters. */
    public record Filter(String hql, Map<String, Object> parameters) {
    }
}
