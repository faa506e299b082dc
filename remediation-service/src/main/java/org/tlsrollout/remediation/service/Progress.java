package org.tlsrollout.remediation.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;

/**
 * How far the rollout is: for every site, and over all sites, how many machines show each state in each phase
 * (every state listed, 0 included).
 */
public record Progress(List<Site> sites, Map<Phase, Map<PhaseState, Long>> totals, long machines, Instant generatedAt) {

    public record Site(String siteCode, Map<Phase, Map<PhaseState, Long>> phases, long machines) {
    }
}
