package org.tlsrollout.remediation.wave;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.remediation.WaveState;

/** A wave as GET /api/v1/waves/{id} shows it (api.md, plus its batching, selector and history). */
@Schema(description = "A wave")
public record WaveView(
        String id,
        String name,
        Phase phase,
        List<String> sites,
        WaveState state,
        Counts counts,
        Instant createdAt,
        String createdBy,
        Instant updatedAt,
        @Schema(description = "machines per batch") int batchSize,
        @Schema(description = "the batch size as asked in percent of the machines targeted, if so") Integer percent,
        int batches,
        @Schema(description = "the batch being issued or awaited, from 1 (the last one once all are done)") int currentBatch,
        double maxFailureRate,
        WaveRequest.Selector selector,
        boolean acknowledgeStale,
        @Schema(description = "the wave whose recorded previous values this one restores") String rollbackOf,
        @Schema(description = "why the engine halted it, while HALTED") String haltedReason,
        @Schema(description = "every state change, oldest first, with who asked for it") List<HistoryEntry> history) {

    /**
     * How far the wave is.
     *
     * @param targeted machines chosen when the wave was created
     * @param issued jobs issued so far (whatever became of them)
     * @param pendingRestart targets now showing PENDING_RESTART in the wave's phase
     * @param verified targets now COMPLIANT in the wave's phase
     * @param expired jobs not reported before they expired
     * @param cancelled jobs cancelled with the wave before they were reported
     * @param skipped targets that got no job (nothing to do, or refused by the allowlist)
     */
    @JsonAutoDetect(isGetterVisibility = JsonAutoDetect.Visibility.NONE) // else "issued" is also read as "sued"
    public record Counts(long targeted, long issued, long succeeded, long failed, long rejected, long pendingRestart,
            long verified, long expired, long cancelled, long skipped) {
    }

    /** One change of a wave: {@code actor} is the operator, or {@code system} for the engine. */
    public record HistoryEntry(Instant at, String actor, String action, WaveState fromState, WaveState toState,
            String detail) {
    }
}
