package org.tlsrollout.contracts;

/** What an agent reports of a job (api.md, agent result endpoint). */
public enum JobOutcome {
    SUCCEEDED,
    FAILED,
    /** The agent refused the job (signature, subject, validity, sequence or allowlist) and changed nothing. */
    REJECTED
}
