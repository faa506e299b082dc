package org.tlsrollout.common.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * Turns a bearer token into an identity: the operator token gives roles operator and viewer, the viewer token
 * the role viewer, and a valid agent token (ES256 JWT from the collector) the role agent with the machine id
 * as principal. Anything else fails authentication (401).
 */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {
    private final AuthConfig config;
    private final AgentKeys agentKeys;
    private volatile JwtConsumer agentTokenConsumer;

    public TokenIdentityProvider(AuthConfig config, AgentKeys agentKeys) {
        this.config = config;
        this.agentKeys = agentKeys;
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
        // Verifying may fetch the JWKS document the first time a key id is seen: not on the event loop.
        return context.runBlocking(() -> agentIdentity(token));
    }

    private SecurityIdentity agentIdentity(String token) {
        try {
            JwtClaims claims = agentTokenConsumer().processToClaims(token);
            return identity(claims.getSubject(), Roles.AGENT);
        } catch (InvalidJwtException | org.jose4j.jwt.MalformedClaimException e) {
            throw new AuthenticationFailedException("invalid agent token", e);
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
                    .setVerificationKeyResolver(agentKeys.resolver())
                    .build();
            agentTokenConsumer = consumer;
        }
        return consumer;
    }

    private static boolean matches(Optional<String> expected, String token) {
        return expected.filter(e -> !e.isBlank())
                .map(e -> MessageDigest.isEqual(e.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8)))
                .orElse(false);
    }

    private static SecurityIdentity identity(String name, String... roles) {
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(name));
        for (String role : roles) {
            builder.addRole(role);
        }
        return builder.build();
    }
}
