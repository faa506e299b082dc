package org.tlsrollout.remediation;

import org.tlsrollout.contracts.JobOutcome;

/** The states of a fix job (table {@code job}). */
public enum JobState {
    /** Signed and served to its agent until reported, expired or cancelled. */
    ISSUED,
    SUCCEEDED,
    FAILED,
    /** The agent refused it (signature, subject, validity, seq or allowlist) and changed nothing. */
    REJECTED,
    /** Not reported before its {@code exp}. A later report still records the outcome. */
    EXPIRED,
    /** Its wave was cancelled before it was reported. A later report still records the outcome. */
    CANCELLED;

    public static JobState of(JobOutcome outcome) {
        return switch (outcome) {
            case SUCCEEDED -> SUCCEEDED;
            case FAILED -> FAILED;
            case REJECTED -> REJECTED;
        };
    }
}
