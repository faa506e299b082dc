package org.tlsrollout.agent.jobs;

import org.tlsrollout.contracts.JobClaims;

/** What {@link JobVerifier} concluded about one job: verified claims, or a rejection with its reason. */
public sealed interface Verification {

    /** Every check passed; the claims can be applied. */
    record Verified(JobClaims claims) implements Verification {
    }

    /** The job is refused; nothing may be changed because of it. */
    record Rejected(Reason reason, String detail) implements Verification {
        /** The text reported as the result's {@code detail}. */
        public String message() {
            return reason.text + ": " + detail;
        }
    }

    /** Why a job is refused. */
    enum Reason {
        MALFORMED("not a well-formed job"),
        ALGORITHM("signature algorithm not accepted"),
        TYPE("not a job (typ)"),
        UNKNOWN_KEY("signed with a key the agent does not trust"),
        BAD_SIGNATURE("signature does not verify"),
        ISSUER("issued by someone else"),
        OTHER_MACHINE("job for another machine"),
        JOB_ID("job id does not match"),
        NOT_YET_VALID("not yet valid"),
        EXPIRED("expired"),
        REPLAYED("replayed or out of order"),
        NOT_ALLOWED("action outside the agent allowlist"),
        STATE_UNAVAILABLE("agent state unavailable");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }
}
