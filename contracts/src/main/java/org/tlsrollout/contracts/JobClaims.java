package org.tlsrollout.contracts;

import java.util.List;
import java.util.Objects;

/**
 * The payload of a signed fix job (api.md, "Signed fix jobs"): a JWS in compact serialization, {@code alg}
 * ES256, {@code kid} naming a key of the JWKS, {@code typ} {@value #TYPE}. Times are seconds since the epoch.
 */
public record JobClaims(
        String iss,
        String sub,
        String jti,
        long iat,
        long nbf,
        long exp,
        long seq,
        String wave,
        Phase phase,
        String siteCode,
        List<RuleId> rules,
        List<Action> actions) {

    /** The JOSE {@code typ} header of every job. */
    public static final String TYPE = "tlsrollout-job+jwt";
    /** The {@code iss} of jobs that remediation-service signs. */
    public static final String ISSUER = "tlsrollout-remediation";

    public JobClaims {
        Objects.requireNonNull(sub, "sub");
        Objects.requireNonNull(jti, "jti");
        rules = rules == null ? List.of() : List.copyOf(rules);
        actions = actions == null ? List.of() : List.copyOf(actions);
    }

    /** Claim names, as they stand in the JWS payload. */
    public static final List<String> NAMES =
            List.of("iss", "sub", "jti", "iat", "nbf", "exp", "seq", "wave", "phase", "siteCode", "rules", "actions");
}
