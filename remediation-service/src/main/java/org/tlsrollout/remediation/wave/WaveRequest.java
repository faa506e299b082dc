package org.tlsrollout.remediation.wave;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of POST /api/v1/waves (api.md). Kept loose (strings, boxed numbers) so that every invalid field is named in the
 * 400 problem details rather than failing the whole body at once.
 */
@Schema(description = "A wave to create, or with dryRun the plan of one")
public record WaveRequest(
        @Schema(description = "a name for people; default: the phase and the sites") String name,
        @Schema(description = "the phase the wave fixes", required = true,
                enumeration = {"CLIENTS", "SITE_SYSTEMS", "VERIFY", "DISABLE_LEGACY"}) String phase,
        @Schema(description = "site codes (3 characters, A-Z and 0-9)", required = true) List<String> sites,
        @Schema(description = "only machines matching every part given") Selector selector,
        @Schema(description = "machines per batch (>= 1); give this or percent; default 100 when neither") Integer batchSize,
        @Schema(description = "machines per batch in percent of the machines targeted (1 to 100)") Integer percent,
        @Schema(description = "the wave halts when more than this share (0 to 1) of its reported jobs failed or were"
                + " rejected", required = true) Double maxFailureRate,
        @Schema(description = "DISABLE_LEGACY: let stale machines pass the orphan gate (recorded on the wave)")
        Boolean acknowledgeStale,
        @Schema(description = "answer what the wave would target and whether the gate is open; create nothing")
        Boolean dryRun) {

    /**
     * Which of the machines that are NONCOMPLIANT in the phase a wave targets.
     *
     * @param roles machines hosting any of these roles
     * @param osVersions machines whose OS version starts with any of these ("6.1" matches 6.1 and 6.1.7601)
     */
    public record Selector(List<String> roles, List<String> osVersions) {
    }
}
