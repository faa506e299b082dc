package org.tlsrollout.remediation.machine;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;

/**
 * How far the rollout is: for every site, and over all sites, how many machines show each state in each phase
 * (every state listed, 0 included).
 */
public record Progress(List<Site> sites, Map<Phase, Map<PhaseState, Long>> totals, long machines,
        @Schema(description = "addition: machines known from inventory that never reported (counted in the states,"
                + " UNKNOWN)") long neverReported,
        Instant generatedAt) {

    /** One site; retired machines count nowhere. */
    public record Site(String siteCode, Map<Phase, Map<PhaseState, Long>> phases, long machines,
            @Schema(description = "addition: of them, known from inventory only") long neverReported) {
    }
}
