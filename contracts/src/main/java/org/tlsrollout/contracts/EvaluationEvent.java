package org.tlsrollout.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What rules-service publishes to {@link Topics#EVALUATIONS} for every snapshot (api.md, "Kafka topics"). The
 * fields after {@code phases} are additions that remediation-service needs to plan fixes and select machines
 * (received time, OS version, roles, boot time); consumers that know only api.md's shape may ignore them.
 * In the compact form of api.md {@code results} holds only the FAIL and UNKNOWN rules and {@code passed} and
 * {@code notApplicable} name the others; consumers accept both forms.
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
        Long sequence,
        List<RuleId> passed,
        List<RuleId> notApplicable) {

    /** The form of api.md where {@code results} holds every rule's result ({@code passed}, {@code notApplicable} absent). */
    public EvaluationEvent(String machineId, String siteCode, String snapshotId, Instant collectedAt,
            String catalogVersion, MachineClass machineClass, List<RuleResult> results, Map<Phase, PhaseState> phases,
            Instant receivedAt, Instant evaluatedAt, String osVersion, List<Role> roles, Instant lastBootAt,
            Long sequence) {
        this(machineId, siteCode, snapshotId, collectedAt, catalogVersion, machineClass, results, phases, receivedAt,
                evaluatedAt, osVersion, roles, lastBootAt, sequence, null, null);
    }

    /** True in the compact form (api.md): {@code results} holds only FAIL and UNKNOWN, the others are named. */
    @JsonIgnore
    public boolean isCompact() {
        return passed != null || notApplicable != null;
    }
}
