package org.tlsrollout.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;

/**
 * Operators and viewers signing in through an OpenID Connect provider: a local issuer (an RSA key of its own and its
 * published JWKS document, as a provider's jwks_uri serves it) signs the tokens, and the service verifies them against
 * that document, not a mock. Roles come from the configured claim.
 */
class OidcSignInTest {
    static final String ISSUER = "https://login.example.test/realms/estate";
    static final RsaJsonWebKey ISSUER_KEY = key("issuer-1");
    static final RsaJsonWebKey STRANGER_KEY = key("issuer-1");

    private final TokenIdentityProvider provider = provider("realm_access.roles");

    @Test
    void anOperatorOfTheProviderIsOperatorAndViewer() {
        SecurityIdentity who = TokenIdentityProviderTest.authenticate(provider,
                token(ISSUER_KEY, ISSUER, "tlsrollout-ui", Map.of("roles", List.of("operator", "offline_access")), 300));
        assertThat(who.getPrincipal().getName()).isEqualTo("alice");
        assertThat(who.getRoles()).containsExactlyInAnyOrder(Roles.OPERATOR, Roles.VIEWER);
    }

    @Test
    void aViewerIsOnlyViewerAndOtherRolesGiveNone() {
        assertThat(TokenIdentityProviderTest.authenticate(provider, token(ISSUER_KEY, ISSUER, "tlsrollout-ui",
                Map.of("roles", List.of("viewer")), 300)).getRoles()).containsExactly(Roles.VIEWER);
        assertThat(TokenIdentityProviderTest.authenticate(provider, token(ISSUER_KEY, ISSUER, "tlsrollout-ui",
                Map.of("roles", List.of("agent", "admin")), 300)).getRoles()).isEmpty();
    }

    @Test
    void aTokenSignedByAnotherKeyExpiredOrForAnotherAudienceFails() {
        assertThatThrownBy(() -> TokenIdentityProviderTest.authenticate(provider, token(STRANGER_KEY, ISSUER,
                "tlsrollout-ui", Map.of("roles", List.of("operator")), 300)))
                .isInstanceOf(AuthenticationFailedException.class);
        assertThatThrownBy(() -> TokenIdentityProviderTest.authenticate(provider, token(ISSUER_KEY, ISSUER,
                "tlsrollout-ui", Map.of("roles", List.of("operator")), -120)))
                .isInstanceOf(AuthenticationFailedException.class);
        assertThatThrownBy(() -> TokenIdentityProviderTest.authenticate(provider, token(ISSUER_KEY, ISSUER,
                "another-client", Map.of("roles", List.of("operator")), 300)))
                .isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void anotherIssuersTokenIsNotAnOperatorsEvenSignedByTheSameKey() {
        // Taken for an agent token (the only other JWT): its checks refuse it.
        assertThatThrownBy(() -> TokenIdentityProviderTest.authenticate(provider, token(ISSUER_KEY,
                "https://elsewhere.example.test", "tlsrollout-ui", Map.of("roles", List.of("operator")), 300)))
                .isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void theRolesClaimIsAPathToAnArrayOrASpaceSeparatedString() {
        assertThat(TokenIdentityProvider.claimValues(Map.of("groups", List.of("viewer", 3)), "groups"))
                .containsExactly("viewer");
        assertThat(TokenIdentityProvider.claimValues(Map.of("scope", "openid operator"), "scope"))
                .containsExactlyInAnyOrder("openid", "operator");
        assertThat(TokenIdentityProvider.claimValues(Map.of("a", Map.of("b", List.of("operator"))), "a.b"))
                .containsExactly("operator");
        assertThat(TokenIdentityProvider.claimValues(Map.of("a", "operator"), "a.b")).isEmpty();
    }

    private static TokenIdentityProvider provider(String rolesClaim) {
        AuthConfig.Oidc oidc = new AuthConfig.Oidc() {
            @Override
            public Optional<String> issuer() {
                return Optional.of(ISSUER);
            }

            @Override
            public Optional<String> jwksUrl() {
                return Optional.of(ISSUER + "/protocol/openid-connect/certs");
            }

            @Override
            public Optional<Path> caFile() {
                return Optional.empty();
            }

            @Override
            public Optional<String> audience() {
                return Optional.of("tlsrollout-ui");
            }

            @Override
            public String rolesClaim() {
                return rolesClaim;
            }
        };
        try {
            // The provider's published key set, read back as the service reads jwks_uri.
            String published = new JsonWebKeySet(ISSUER_KEY).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
            OidcKeys keys = new OidcKeys(new JwksVerificationKeyResolver(new JsonWebKeySet(published).getJsonWebKeys()));
            return new TokenIdentityProvider(TokenIdentityProviderTest.config(Duration.ofMinutes(5), oidc),
                    () -> (jws, nesting) -> {
                        throw new org.jose4j.lang.UnresolvableKeyException("no agent keys in this test");
                    }, keys, Clock.systemUTC());
        } catch (org.jose4j.lang.JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token(RsaJsonWebKey key, String issuer, String audience, Map<String, Object> realmAccess,
            long expiresInSeconds) {
        try {
            JwtClaims claims = new JwtClaims();
            claims.setIssuer(issuer);
            claims.setAudience(audience);
            claims.setSubject("3f2b8c1e-user");
            claims.setClaim("preferred_username", "alice");
            claims.setClaim("realm_access", realmAccess);
            claims.setIssuedAtToNow();
            claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(
                    System.currentTimeMillis() / 1000 + expiresInSeconds));
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(key.getPrivateKey());
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            return jws.getCompactSerialization();
        } catch (org.jose4j.lang.JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RsaJsonWebKey key(String kid) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(kid);
            return key;
        } catch (org.jose4j.lang.JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
