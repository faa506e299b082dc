package org.tlsrollout.contracts;

import java.util.Collection;

/** State of one machine in one phase (rules.md, "State of one machine in one phase"). */
public enum PhaseState {
    COMPLIANT,
    NONCOMPLIANT,
    UNKNOWN,
    NOT_APPLICABLE,
    /** Added by remediation-service: a job succeeded and asked for a restart not yet reported. */
    PENDING_RESTART,
    /** Added by remediation-service: the newest snapshot is older than the staleness window. */
    STALE;

    /**
     * The state that the ERROR-severity results of one phase give: NONCOMPLIANT if any FAILs, else UNKNOWN if
     * any is UNKNOWN, else NOT_APPLICABLE if none applies, else COMPLIANT. WARNING results never count.
     */
    public static PhaseState of(Phase phase, Collection<RuleResult> results) {
        boolean anyFail = false;
        boolean anyUnknown = false;
        boolean anyApplies = false;
        for (RuleResult r : results) {
            if (r.phase() != phase || r.severity() != Severity.ERROR) {
                continue;
            }
            switch (r.status()) {
                case FAIL -> anyFail = true;
                case UNKNOWN -> anyUnknown = true;
                case PASS -> anyApplies = true;
                case NOT_APPLICABLE -> { }
            }
        }
        if (anyFail) {
            return NONCOMPLIANT;
        }
        if (anyUnknown) {
            return UNKNOWN;
        }
        return anyApplies ? COMPLIANT : NOT_APPLICABLE;
    }

    /** True for the states in which the orphan gate counts a machine as ready. */
    public boolean isReady() {
        return this == COMPLIANT || this == NOT_APPLICABLE;
    }
}
