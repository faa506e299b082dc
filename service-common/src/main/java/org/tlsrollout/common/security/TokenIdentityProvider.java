package org.tlsrollout.common.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.tlsrollout.contracts.Es256Provider;

/**
 * Turns a bearer token into an identity: the operator token gives roles operator and viewer, the viewer token
 * the role viewer, and a valid agent token (ES256 JWT from the collector) the role agent with the machine id
 * as principal; a JWT of the OpenID Connect provider, when one is configured ({@code tlsrollout.auth.oidc.*}), the
 * roles operator or viewer its roles claim names. Anything else fails authentication (401).
 * <p>
 * Verifying an agent token's ES256 signature costs far more than the request it authorizes (an agent polls its jobs
 * often), so a verified token is remembered, keyed by its SHA-256, for {@code tlsrollout.auth.agent-token-cache-ttl}
 * (5 minutes by default): within that time the same token is taken again without verifying its signature, but its
 * {@code exp} is still checked at every request, so an expired token fails as it would unverified. A token that
 * failed is never remembered. A key removed from the collector's JWKS stops being honoured at most that long after
 * the JWKS document was refreshed.
 */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {
    private final AuthConfig config;
    private final AgentKeys agentKeys;
    private final OidcKeys oidcKeys;
    private volatile JwtConsumer oidcConsumer;
    private final Cache<String, Verified> verified;
    private final Clock clock;
    private volatile JwtConsumer agentTokenConsumer;

    /**
     * An agent token whose signature and claims were verified: its subject, its {@code site} claim (null in a token
     * without it), and its exp in epoch seconds.
     */
    private record Verified(String machineId, String site, long expiresAt) {
    }

    @jakarta.inject.Inject
    public TokenIdentityProvider(AuthConfig config, AgentKeys agentKeys, OidcKeys oidcKeys) {
        this(config, agentKeys, oidcKeys, Clock.systemUTC());
    }

    TokenIdentityProvider(AuthConfig config, AgentKeys agentKeys, Clock clock) {
        this(config, agentKeys, new OidcKeys((VerificationKeyResolver) null), clock);
    }

    TokenIdentityProvider(AuthConfig config, AgentKeys agentKeys, OidcKeys oidcKeys, Clock clock) {
        this.config = config;
        this.agentKeys = agentKeys;
        this.oidcKeys = oidcKeys;
        this.clock = clock;
        this.verified = config.agentTokenCacheTtl().isZero() ? null : Caffeine.newBuilder()
                .maximumSize(config.agentTokenCacheSize())
                .expireAfterWrite(config.agentTokenCacheTtl())
                .ticker(() -> clock.millis() * 1_000_000L)
                .build();
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String token = request.getToken().getToken();
        if (matches(config.operatorToken(), token)) {
            return Uni.createFrom().item(identity("operator", Roles.OPERATOR, Roles.VIEWER));
        }
        if (matches(config.viewerToken(), token)) {
            return Uni.createFrom().item(identity("viewer", Roles.VIEWER));
        }
        if (token.chars().filter(c -> c == '.').count() != 2) {
            return Uni.createFrom().failure(new AuthenticationFailedException("unknown bearer token"));
        }
        if (oidcKeys.resolver().isPresent() && config.oidc().issuer().orElse("").equals(unverifiedIssuer(token))) {
            // The provider's keys may have to be fetched: not on the event loop.
            return context.runBlocking(() -> oidcIdentity(token));
        }
        String key = verified == null ? null : sha256(token);
        if (key != null) {
            Verified known = verified.getIfPresent(key);
            if (known != null) {
                if (clock.millis() / 1000 <= known.expiresAt() + config.clockSkew().toSeconds()) {
                    return Uni.createFrom().item(agent(known));
                }
                verified.invalidate(key);
                return Uni.createFrom().failure(new AuthenticationFailedException("expired agent token"));
            }
        }
        // Verifying may fetch the JWKS document the first time a key id is seen: not on the event loop.
        return context.runBlocking(() -> agentIdentity(token, key));
    }

    private SecurityIdentity agentIdentity(String token, String key) {
        try {
            JwtClaims claims = agentTokenConsumer().processToClaims(token);
            Object site = claims.getClaimValue(AgentTokens.SITE_CLAIM);
            Verified agent = new Verified(claims.getSubject(), site instanceof String s ? s : null,
                    claims.getExpirationTime().getValue());
            if (key != null) {
                verified.put(key, agent);
            }
            return agent(agent);
        } catch (InvalidJwtException | org.jose4j.jwt.MalformedClaimException e) {
            throw new AuthenticationFailedException("invalid agent token", e);
        }
    }

    /**
     * An operator or viewer signed in through the OpenID Connect provider: roles {@code operator} (which includes
     * viewer) and {@code viewer} from the configured claim, principal its {@code preferred_username}, else subject.
     */
    private SecurityIdentity oidcIdentity(String token) {
        try {
            JwtClaims claims = oidcConsumer().processToClaims(token);
            Object name = claims.getClaimValue("preferred_username");
            QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder().setPrincipal(
                    new QuarkusPrincipal(name instanceof String n ? n : claims.getSubject()));
            java.util.Set<String> roles = claimValues(claims.getClaimsMap(), config.oidc().rolesClaim());
            if (roles.contains(Roles.OPERATOR)) {
                builder.addRole(Roles.OPERATOR).addRole(Roles.VIEWER);
            } else if (roles.contains(Roles.VIEWER)) {
                builder.addRole(Roles.VIEWER);
            }
            return builder.build();
        } catch (InvalidJwtException | org.jose4j.jwt.MalformedClaimException e) {
            throw new AuthenticationFailedException("invalid token of the OpenID Connect provider", e);
        }
    }

    /** The strings at a dotted path of the claims: an array of strings, or one string of space-separated values. */
    static java.util.Set<String> claimValues(java.util.Map<String, Object> claims, String path) {
        Object value = claims;
        for (String part : path.split("\\.")) {
            value = value instanceof java.util.Map<?, ?> map ? map.get(part) : null;
        }
        java.util.Set<String> values = new java.util.HashSet<>();
        if (value instanceof java.util.Collection<?> list) {
            list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(values::add);
        } else if (value instanceof String text) {
            values.addAll(java.util.Arrays.asList(text.trim().split("\\s+")));
        }
        return values;
    }

    /** The {@code iss} of a JWT, unverified (it only picks the keys that verify it), or null. */
    private static String unverifiedIssuer(String token) {
        try {
            String payload = token.substring(token.indexOf('.') + 1, token.lastIndexOf('.'));
            Object iss = JwtClaims.parse(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8))
                    .getClaimValue("iss");
            return iss instanceof String s ? s : null;
        } catch (IllegalArgumentException | InvalidJwtException e) {
            return null;
        }
    }

    private JwtConsumer oidcConsumer() {
        JwtConsumer consumer = oidcConsumer;
        if (consumer == null) {
            JwtConsumerBuilder builder = new JwtConsumerBuilder()
                    .setRequireExpirationTime()
                    .setRequireSubject()
                    .setExpectedIssuer(config.oidc().issuer().orElseThrow())
                    .setAllowedClockSkewInSeconds((int) config.clockSkew().toSeconds())
                    .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                            AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
                            AlgorithmIdentifiers.RSA_PSS_USING_SHA256)
                    .setVerificationKeyResolver(oidcKeys.resolver().orElseThrow());
            config.oidc().audience().ifPresentOrElse(builder::setExpectedAudience,
                    builder::setSkipDefaultAudienceValidation);
            consumer = builder.build();
            oidcConsumer = consumer;
        }
        return consumer;
    }

    private static String sha256(String token) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private JwtConsumer agentTokenConsumer() {
        JwtConsumer consumer = agentTokenConsumer;
        if (consumer == null) {
            consumer = new JwtConsumerBuilder()
                    .setRequireExpirationTime()
                    .setRequireSubject()
                    .setExpectedIssuer(config.agentTokenIssuer())
                    .setExpectedAudience(AgentTokens.AUDIENCE)
                    .setAllowedClockSkewInSeconds((int) config.clockSkew().toSeconds())
                    .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                    .setVerificationKeyResolver(onEs256Provider(agentKeys.resolver()))
                    .setJwsProviderContext(Es256Provider.PROVIDER_CONTEXT)
                    .build();
            agentTokenConsumer = consumer;
        }
        return consumer;
    }

    /**
     * The keys the resolver finds, as the ES256 provider's own (see Es256Provider; its speed against the JDK's is in
     * docs/benchmarks.md).
     */
    private static VerificationKeyResolver onEs256Provider(VerificationKeyResolver resolver) {
        return (jws, nestingContext) -> Es256Provider.convertVerificationKey(resolver.resolveKey(jws, nestingContext));
    }

    private static boolean matches(Optional<String> expected, String token) {
        return expected.filter(e -> !e.isBlank())
                .map(e -> MessageDigest.isEqual(e.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8)))
                .orElse(false);
    }

    /** An agent's identity: role agent, the machine id as principal, and its site as attribute when the token has one. */
    private static SecurityIdentity agent(Verified token) {
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(token.machineId())).addRole(Roles.AGENT);
        if (token.site() != null) {
            builder.addAttribute(AgentTokens.SITE_CLAIM, token.site());
        }
        return builder.build();
    }

    private static SecurityIdentity identity(String name, String... roles) {
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(name));
        for (String role : roles) {
            builder.addRole(role);
        }
        return builder.build();
    }
}
