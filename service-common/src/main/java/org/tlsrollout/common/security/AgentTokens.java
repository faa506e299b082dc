package org.tlsrollout.common.security;

import io.quarkus.security.identity.SecurityIdentity;
import org.tlsrollout.common.problem.ProblemException;

/** Rules shared by everything that accepts agent tokens. */
public final class AgentTokens {
    /** The {@code aud} of every agent token. */
    public static final String AUDIENCE = "tlsrollout";
    /** The claim of an agent token that holds the enrolled site code; also the identity's attribute of that name. */
    public static final String SITE_CLAIM = "site";
    /** The longest an agent token may be valid (api.md: at most 24 hours). */
    public static final java.time.Duration MAX_LIFETIME = java.time.Duration.ofHours(24);

    private AgentTokens() {
    }

    /**
     * An agent may act only for itself (api.md: "refused (403) when the machine id in the path or body is not
     * the token's subject").
     */
    public static void requireMachine(SecurityIdentity identity, String machineId) {
        if (identity == null || identity.isAnonymous() || !identity.hasRole(Roles.AGENT)) {
            throw ProblemException.forbidden("an agent token is required");
        }
        String subject = identity.getPrincipal().getName();
        if (!subject.equals(machineId)) {
            throw ProblemException.forbidden("the agent token is for machine '" + subject + "', not '" + machineId + "'");
        }
    }

    /** The site an agent token was issued for; empty for a token without the site claim. */
    public static java.util.Optional<String> site(SecurityIdentity identity) {
        return identity == null ? java.util.Optional.empty()
                : java.util.Optional.ofNullable(identity.<String>getAttribute(SITE_CLAIM));
    }

    /**
     * An agent may report only for the site it enrolled in (api.md: 403 for a {@code siteCode} other than the
     * token's site). A token without the site claim is refused too: the agent enrolls again and gets one.
     */
    public static void requireSite(SecurityIdentity identity, String siteCode) {
        String site = site(identity).orElseThrow(() -> ProblemException.forbidden(
                "the agent token carries no site claim: enroll again"));
        if (!site.equals(siteCode)) {
            throw ProblemException.forbidden("the agent token is for site '" + site + "', not '" + siteCode + "'");
        }
    }
}
