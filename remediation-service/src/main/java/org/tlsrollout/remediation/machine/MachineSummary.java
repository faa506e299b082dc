package org.tlsrollout.remediation.machine;

import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.tlsrollout.contracts.MachineClass;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;

/** One machine in a list: its identity, the time of its newest snapshot and the state shown in each phase. */
public record MachineSummary(
        String machineId,
        String siteCode,
        @Schema(enumeration = {"client", "site-system"}) MachineClass machineClass,
        Instant lastSnapshotAt,
        @Schema(description = "known from inventory only: no snapshot yet") boolean neverReported,
        @Schema(description = "retired by an operator: counts nowhere") boolean retired,
        Map<Phase, PhaseState> phases) {
}
