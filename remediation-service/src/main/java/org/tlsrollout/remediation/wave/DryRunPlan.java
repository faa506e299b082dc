package org.tlsrollout.remediation.wave;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.tlsrollout.contracts.Phase;

/**
 * What POST /api/v1/waves with {@code dryRun: true} answers: what the wave would target now and whether the orphan
 * gate is open. Nothing is written.
 *
 * @param targets up to 100 of the machines it would target, in the order of its batches
 */
@Schema(description = "The plan of a wave: nothing is created")
public record DryRunPlan(
        boolean dryRun,
        Phase phase,
        List<String> sites,
        long targeted,
        int batchSize,
        int batches,
        OrphanGate.Status gate,
        List<String> targets) {
}
