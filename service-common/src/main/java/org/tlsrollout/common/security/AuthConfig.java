package org.tlsrollout.common.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** {@code tlsrollout.auth.*}: who may call the services. */
@ConfigMapping(prefix = "tlsrollout.auth")
public interface AuthConfig {

    /** Bearer token of operators (env TLSROLLOUT_OPERATOR_TOKEN). Unset: no operator can sign in. */
    Optional<String> operatorToken();

    /** Bearer token of viewers (env TLSROLLOUT_VIEWER_TOKEN). Unset: no viewer can sign in. */
    Optional<String> viewerToken();

    /** Where the public keys that verify agent tokens are published (the collector's JWKS document). */
    Optional<String> agentJwksUrl();

    /**
     * The CA (PEM) that the service at {@code agent-jwks-url} is checked against when it is https: only that CA
     * is trusted (env TLSROLLOUT_TLS_CA, as docker-compose.yml and {@code ./tlsrollout up --tls} set it). Unset:
     * the JVM's default trust store.
     */
    Optional<java.nio.file.Path> agentJwksCaFile();

    /** The {@code iss} of agent tokens. */
    @WithDefault("tlsrollout-collector")
    String agentTokenIssuer();

    /** Clock skew tolerated on agent tokens' {@code exp} and {@code nbf}. */
    @WithDefault("30s")
    Duration clockSkew();

    /**
     * How long a verified agent token is taken again without verifying its signature (a cache keyed by the token's
     * SHA-256; its {@code exp} is still checked at every request). Bounds how long a token signed by a key since removed
     * from the JWKS document stays accepted once the JWKS is refreshed. 0 turns the cache off.
     */
    @WithDefault("5m")
    Duration agentTokenCacheTtl();

    /** At most this many verified agent tokens are cached (the least recently used leave first). */
    @WithDefault("100000")
    long agentTokenCacheSize();

    /** Operators and viewers signing in through an OpenID Connect provider, beside the static tokens. */
    Oidc oidc();

    /** {@code tlsrollout.auth.oidc.*}: off unless {@code issuer} and {@code jwks-url} are set. */
    interface Oidc {
        /** The provider's {@code iss}; a bearer JWT of this issuer is verified as an operator's or viewer's token. */
        Optional<String> issuer();

        /** The provider's JWKS document (its {@code jwks_uri}): https, or http on a loopback address only. */
        Optional<String> jwksUrl();

        /** The CA (PEM) the JWKS URL is checked against when it is https; unset: the JVM's trust store. */
        Optional<java.nio.file.Path> caFile();

        /** The {@code aud} the token must carry (the client id the provider issued it for); unset: not checked. */
        Optional<String> audience();

        /**
         * The claim holding the caller's roles, a dotted path into the token (for example {@code realm_access.roles});
         * its values {@code operator} and {@code viewer} are api.md's roles, anything else is ignored.
         */
        @WithDefault("groups")
        String rolesClaim();
    }
}
