package org.tlsrollout.common.security;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.VerificationKeyResolver;

/** Agent token keys from the JWKS document at {@code tlsrollout.auth.agent-jwks-url}, cached and refreshed by kid. */
@DefaultBean
@ApplicationScoped
public class JwksAgentKeys implements AgentKeys {
    private final VerificationKeyResolver resolver;

    public JwksAgentKeys(AuthConfig config) {
        this.resolver = config.agentJwksUrl()
                .map(url -> (VerificationKeyResolver) new HttpsJwksVerificationKeyResolver(new HttpsJwks(url)))
                .orElse(null);
    }

    @Override
    public VerificationKeyResolver resolver() {
        if (resolver == null) {
            throw new IllegalStateException("tlsrollout.auth.agent-jwks-url is not set: agent tokens cannot be verified");
        }
        return resolver;
    }
}
