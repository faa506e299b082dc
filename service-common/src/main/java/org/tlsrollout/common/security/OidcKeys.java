package org.tlsrollout.common.security;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.VerificationKeyResolver;

/**
 * The keys of the OpenID Connect provider operators may sign in with ({@code tlsrollout.auth.oidc.*}), from its JWKS
 * document, cached and refreshed by kid. Made at startup, so that an untrusted JWKS URL stops the service.
 */
@Startup
@ApplicationScoped
public class OidcKeys {
    private final VerificationKeyResolver resolver;

    @Inject
    public OidcKeys(AuthConfig config) {
        AuthConfig.Oidc oidc = config.oidc();
        if (oidc.issuer().isPresent() != oidc.jwksUrl().isPresent()) {
            throw new IllegalStateException("tlsrollout.auth.oidc.issuer and tlsrollout.auth.oidc.jwks-url are set "
                    + "together or not at all");
        }
        this.resolver = oidc.jwksUrl().map(url -> {
            JwksAgentKeys.requireTrustedChannel(url, "tlsrollout.auth.oidc.jwks-url");
            return (VerificationKeyResolver) new HttpsJwksVerificationKeyResolver(
                    JwksAgentKeys.jwks(url, oidc.caFile().orElse(null)));
        }).orElse(null);
    }

    /** Keys from {@code resolver} (tests: a local issuer's key set). */
    OidcKeys(VerificationKeyResolver resolver) {
        this.resolver = resolver;
    }

    /** Empty when OpenID Connect sign-in is off. */
    public Optional<VerificationKeyResolver> resolver() {
        return Optional.ofNullable(resolver);
    }
}
