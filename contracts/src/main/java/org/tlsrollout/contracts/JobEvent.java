package org.tlsrollout.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What remediation-service publishes to {@link Topics#JOB_EVENTS} (api.md, "Kafka topics": job issued / succeeded /
 * failed / rejected, for audit and other consumers), keyed by machine id, as binary CloudEvents of type
 * {@link Topics#JOB_EVENT_TYPE} whose {@code ce_id} is {@link #eventId}. Delivery is at least once (transactional
 * outbox): a consumer deduplicates by {@code ce_id} / {@code eventId}.
 *
 * @param eventId unique per event; the CloudEvents id
 * @param kind what happened to the job
 * @param jobId the job, as its JWS {@code jti}
 * @param seq the job's per-machine sequence number
 * @param rules the rule ids the job fixes
 * @param at when it happened (issued, reported, expired or cancelled)
 * @param detail the agent's detail for a report, the reason for an expiry or a cancellation
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobEvent(
        String eventId,
        Kind kind,
        String jobId,
        String waveId,
        String machineId,
        String siteCode,
        Phase phase,
        long seq,
        List<RuleId> rules,
        Instant at,
        String detail) {

    /** The events of a job's life. The first four are api.md's; EXPIRED and CANCELLED are additions. */
    public enum Kind {
        ISSUED,
        SUCCEEDED,
        FAILED,
        REJECTED,
        /** Not reported before its {@code exp}; it is no longer served. */
        EXPIRED,
        /** Its wave was cancelled before it was reported; it is no longer served. */
        CANCELLED;

        /** The event of a reported outcome. */
        public static Kind of(JobOutcome outcome) {
            return switch (outcome) {
                case SUCCEEDED -> SUCCEEDED;
                case FAILED -> FAILED;
                case REJECTED -> REJECTED;
            };
        }
    }

    public JobEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(machineId, "machineId");
        rules = rules == null ? List.of() : List.copyOf(rules);
    }
}
