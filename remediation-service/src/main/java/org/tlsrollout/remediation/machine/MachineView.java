package org.tlsrollout.remediation.machine;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.tlsrollout.contracts.MachineClass;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.remediation.job.JobSummary;

/**
 * One machine as GET /api/v1/machines/{machineId} shows it.
 *
 * @param lastSnapshotAt the {@code collectedAt} of the newest snapshot evaluated
 * @param phases the state shown in each of the four phases (PENDING_RESTART and STALE included)
 * @param findings the results whose status is FAIL or UNKNOWN, with {@code source} and {@code actions} when known
 * @param jobs the machine's fix jobs, newest first, at most 50
 */
public record MachineView(
        String machineId,
        String siteCode,
        @Schema(enumeration = {"client", "site-system"}) MachineClass machineClass,
        Instant lastSnapshotAt,
        @Schema(description = "known from inventory only: no snapshot yet") boolean neverReported,
        @Schema(description = "retired by an operator: counts nowhere") boolean retired,
        Map<Phase, PhaseState> phases,
        List<RuleResult> findings,
        List<JobSummary> jobs) {
}
