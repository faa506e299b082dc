package org.tlsrollout.remediation.service;

import java.util.Optional;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;

/**
 * Which machines to list: of one site, and/or showing one state in one phase. A state always comes with its phase;
 * a phase alone filters nothing.
 */
public record MachineFilter(Optional<String> siteCode, Optional<Phase> phase, Optional<PhaseState> state) {

    public MachineFilter {
        if (state.isPresent() && phase.isEmpty()) {
            throw new IllegalArgumentException("a state filter needs its phase");
        }
    }
}
