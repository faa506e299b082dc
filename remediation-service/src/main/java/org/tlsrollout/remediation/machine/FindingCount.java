package org.tlsrollout.remediation.machine;

import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleStatus;
import org.tlsrollout.contracts.Severity;

/** How many machines have a FAIL or UNKNOWN result of one rule (GET /api/v1/findings). */
public record FindingCount(RuleId ruleId, Phase phase, Severity severity, RuleStatus status, long machines) {
}
