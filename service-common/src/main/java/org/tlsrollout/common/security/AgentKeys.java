package org.tlsrollout.common.security;

import org.jose4j.keys.resolvers.VerificationKeyResolver;

/**
 * Where the keys that verify agent tokens come from. The default reads the collector's JWKS document; the
 * collector itself provides a bean that uses its own keys.
 */
public interface AgentKeys {
    VerificationKeyResolver resolver();
}
