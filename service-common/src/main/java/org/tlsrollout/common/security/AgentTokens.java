package org.tlsrollout.common.security;

import io.quarkus.security.identity.SecurityIdentity;
import org.tlsrollout.common.problem.ProblemException;

/** Rules shared by everything that accepts agent tokens. */
public final class AgentTokens {
    /** The {@code aud} of every agent token. */
    public static final String AUDIENCE = "tlsrollout";

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
}
