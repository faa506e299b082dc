package org.tlsrollout.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What rules-service publishes to {@link Topics#EVALUATIONS} for every snapshot (api.md, "Kafka topics"). The
 * fields after {@code phases} are additions that remediation-service needs to plan fixes and select machines
 * (received time, OS version, roles, boot time); consumers that know only api.md's shape may ignore them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationEvent(
        String machineId,
        String siteCode,
        String snapshotId,
        Instant collectedAt,
        String catalogVersion,
        MachineClass machineClass,
        List<RuleResult> results,
        Map<Phase, PhaseState> phases,
        Instant receivedAt,
        Instant evaluatedAt,
        String osVersion,
        List<Role> roles,
        Instant lastBootAt,
        Long sequence) {
}
