package org.tlsrollout.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * One rule's result on one machine, as it stands in an evaluation (api.md: ruleId, status, severity, phase,
 * message). {@code source} names the seed documents the rule comes from, and {@code actions} holds the
 * remediation of a FAIL (rules.md, "remediation actions"); both are additions that consumers may ignore.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record RuleResult(
        RuleId ruleId,
        RuleStatus status,
        Severity severity,
        Phase phase,
        String message,
        String source,
        List<Action> actions) {

    public RuleResult {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(phase, "phase");
        actions = actions == null ? List.of() : List.copyOf(actions);
    }
}
