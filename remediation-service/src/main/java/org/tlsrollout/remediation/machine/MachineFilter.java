package org.tlsrollout.remediation.machine;

import java.util.Optional;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleStatus;

/**
 * Which machines to list: of one site, and/or showing one state in one phase, and/or having a finding of one rule
 * and/or one status (FAIL or UNKNOWN), and/or never reported or not, and/or retired or not (by default both: a
 * retired machine is listed, flagged, though it counts nowhere else). A state always comes with its phase; a phase alone filters nothing.
 */
public record MachineFilter(Optional<String> siteCode, Optional<Phase> phase, Optional<PhaseState> state,
        Optional<RuleId> rule, Optional<RuleStatus> status, Optional<Boolean> neverReported, Optional<Boolean> retired) {

    public MachineFilter {
        if (state.isPresent() && phase.isEmpty()) {
            throw new IllegalArgumentException("a state filter needs its phase");
        }
    }

    public MachineFilter(Optional<String> siteCode, Optional<Phase> phase, Optional<PhaseState> state) {
        this(siteCode, phase, state, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
