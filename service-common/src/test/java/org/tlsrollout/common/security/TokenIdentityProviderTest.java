package org.tlsrollout.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.junit.jupiter.api.Test;
import org.tlsrollout.common.keys.EcKeys;

/** The cache of verified agent tokens: it saves the signature check, never the expiry check, and keeps no failure. */
class TokenIdentityProviderTest {
    private static final KeyPair KEY = EcKeys.generate();
    private static final KeyPair OTHER = EcKeys.generate();

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        volatile Instant now = Instant.now();

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final AtomicInteger keyLookups = new AtomicInteger();
    private final TestClock clock = new TestClock();

    private TokenIdentityProvider provider(Duration ttl) {
        VerificationKeyResolver resolver = (jws, nesting) -> {
            keyLookups.incrementAndGet();
            return KEY.getPublic();
        };
        return new TokenIdentityProvider(config(ttl), () -> resolver, clock);
    }

    @Test
    void aVerifiedTokenIsTakenAgainWithoutVerifyingItsSignature() {
        TokenIdentityProvider provider = provider(Duration.ofSeconds(60));
        String token = token(KEY, "m-1", Instant.now().plusSeconds(3600));

        assertThat(authenticate(provider, token).getPrincipal().getName()).isEqualTo("m-1");
        assertThat(authenticate(provider, token).getRoles()).containsExactly(Roles.AGENT);
        assertThat(keyLookups).hasValue(1);
    }

    @Test
    void anExpiredTokenFailsEvenWhenItWasVerifiedBefore() {
        TokenIdentityProvider provider = provider(Duration.ofHours(1));
        Instant exp = Instant.now().plusSeconds(120);
        String token = token(KEY, "m-2", exp);
        assertThat(authenticate(provider, token).getPrincipal().getName()).isEqualTo("m-2");

        clock.now = exp.plusSeconds(31); // past exp and the 30 s of clock skew
        assertThatThrownBy(() -> authenticate(provider, token)).isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void theCacheForgetsATokenAfterItsTtlSoThatItIsVerifiedAgain() {
        TokenIdentityProvider provider = provider(Duration.ofSeconds(60));
        String token = token(KEY, "m-3", Instant.now().plusSeconds(3600));
        authenticate(provider, token);
        clock.now = clock.now.plusSeconds(61);
        authenticate(provider, token);
        assertThat(keyLookups).hasValue(2);
    }

    @Test
    void aTokenThatFailsIsNeverRemembered() {
        TokenIdentityProvider provider = provider(Duration.ofSeconds(60));
        String forged = token(OTHER, "m-4", Instant.now().plusSeconds(3600));
        assertThatThrownBy(() -> authenticate(provider, forged)).isInstanceOf(AuthenticationFailedException.class);
        assertThatThrownBy(() -> authenticate(provider, forged)).isInstanceOf(AuthenticationFailedException.class);
        assertThat(keyLookups).hasValue(2);
    }

    @Test
    void aTtlOfZeroVerifiesEveryTime() {
        TokenIdentityProvider provider = provider(Duration.ZERO);
        String token = token(KEY, "m-5", Instant.now().plusSeconds(3600));
        authenticate(provider, token);
        authenticate(provider, token);
        assertThat(keyLookups).hasValue(2);
    }

    static SecurityIdentity authenticate(TokenIdentityProvider provider, String token) {
        AuthenticationRequestContext blocking = new AuthenticationRequestContext() {
            @Override
            public Uni<SecurityIdentity> runBlocking(Supplier<SecurityIdentity> function) {
                return Uni.createFrom().item(function);
            }
        };
        return provider.authenticate(new TokenAuthenticationRequest(new TokenCredential(token, "bearer")), blocking)
                .await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void theSiteClaimIsTheIdentitysSiteVerifiedOrCachedAndATokenWithoutOneHasNone() {
        TokenIdentityProvider provider = provider(Duration.ofSeconds(60));
        String token = token(KEY, "m-6", Instant.now().plusSeconds(3600), "LON");
        assertThat(AgentTokens.site(authenticate(provider, token))).contains("LON");
        assertThat(AgentTokens.site(authenticate(provider, token))).contains("LON");
        assertThat(keyLookups).hasValue(1);

        SecurityIdentity legacy = authenticate(provider, token(KEY, "m-7", Instant.now().plusSeconds(3600)));
        assertThat(AgentTokens.site(legacy)).isEmpty();
        assertThatThrownBy(() -> AgentTokens.requireSite(legacy, "LON"))
                .hasMessageContaining("enroll again");
        assertThatThrownBy(() -> AgentTokens.requireSite(authenticate(provider, token), "NYC"))
                .hasMessageContaining("'LON', not 'NYC'");
    }

    private static String token(KeyPair key, String machineId, Instant exp) {
        return token(key, machineId, exp, null);
    }

    private static String token(KeyPair key, String machineId, Instant exp, String site) {
        try {
            JwtClaims claims = new JwtClaims();
            if (site != null) {
                claims.setClaim(AgentTokens.SITE_CLAIM, site);
            }
            claims.setIssuer("tlsrollout-collector");
            claims.setAudience(AgentTokens.AUDIENCE);
            claims.setSubject(machineId);
            claims.setIssuedAt(NumericDate.now());
            claims.setExpirationTime(NumericDate.fromSeconds(exp.getEpochSecond()));
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(key.getPrivate());
            jws.setKeyIdHeaderValue("k1");
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static AuthConfig config(Duration ttl) {
        return config(ttl, null);
    }

    /** The settings of these tests; OpenID Connect sign-in as {@code oidc} gives, off when null. */
    static AuthConfig config(Duration ttl, AuthConfig.Oidc oidc) {
        return new AuthConfig() {
            @Override
            public AuthConfig.Oidc oidc() {
                return oidc != null ? oidc : new AuthConfig.Oidc() {
                    @Override
                    public Optional<String> issuer() {
                        return Optional.empty();
                    }

                    @Override
                    public Optional<String> jwksUrl() {
                        return Optional.empty();
                    }

                    @Override
                    public Optional<java.nio.file.Path> caFile() {
                        return Optional.empty();
                    }

                    @Override
                    public Optional<String> audience() {
                        return Optional.empty();
                    }

                    @Override
                    public String rolesClaim() {
                        return "groups";
                    }
                };
            }

            @Override
            public Optional<String> operatorToken() {
                return Optional.of("op");
            }

            @Override
            public Optional<String> viewerToken() {
                return Optional.empty();
            }

            @Override
            public Optional<String> agentJwksUrl() {
                return Optional.empty();
            }

            @Override
            public Optional<java.nio.file.Path> agentJwksCaFile() {
                return Optional.empty();
            }

            @Override
            public String agentTokenIssuer() {
                return "tlsrollout-collector";
            }

            @Override
            public Duration clockSkew() {
                return Duration.ofSeconds(30);
            }

            @Override
            public Duration agentTokenCacheTtl() {
                return ttl;
            }

            @Override
            public long agentTokenCacheSize() {
                return 1000;
            }
        };
    }
}
