package org.tlsrollout.remediation.job;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.time.Instant;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.JobEvent;

/**
 * One fix job of a machine, as the machine view lists them (newest first). (Is-getter detection off: Jackson would
 * otherwise also read {@code issuedAt()} as a property {@code suedAt}.)
 */
@JsonAutoDetect(isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public record JobSummary(
        String jobId,
        String waveId,
        Phase phase,
        @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "the job's state: the kind of its"
                + " latest event (api.md's JobEvent.Kind; table job's state column holds the same names)")
        JobEvent.Kind state,
        long seq,
        Instant issuedAt,
        Instant reportedAt,
        String detail) {
}
