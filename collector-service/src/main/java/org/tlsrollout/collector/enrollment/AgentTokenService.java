package org.tlsrollout.collector.enrollment;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.JoseException;
import org.tlsrollout.collector.config.CollectorConfig;
import org.tlsrollout.common.keys.EcKeys;
import org.tlsrollout.common.security.AgentKeys;
import org.tlsrollout.common.security.AgentTokens;
import org.tlsrollout.common.security.AuthConfig;
import org.tlsrollout.contracts.Es256Provider;

/**
 * Issues agent tokens (ES256 JWTs, subject = machine id, claim {@code site} = the enrolled site, valid at most 24
 * hours) and is the source of the keys that verify them, here and, through {@code /.well-known/jwks.json}, in the
 * other services. Made at startup, so that a lifetime over 24 hours or an unreadable key file stops the service.
 */
@io.quarkus.runtime.Startup
@ApplicationScoped
public class AgentTokenService implements AgentKeys {
    private final KeyPair key;
    /** The private key as the ES256 provider's own: an enrollment signs a token (see Es256Provider). */
    private final PrivateKey signingKey;
    private final String kid;
    private final String issuer;
    private final CollectorConfig config;
    private final Clock clock;

    public AgentTokenService(CollectorConfig config, AuthConfig auth) {
        this.config = config;
        Duration ttl = config.agentToken().ttl();
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(AgentTokens.MAX_LIFETIME) > 0) {
            throw new IllegalStateException("collector.agent-token.ttl is " + ttl + ": an agent token is valid more "
                    + "than 0 and at most 24 hours (PT24H)");
        }
        this.key = EcKeys.loadOrCreate(config.agentToken().keyFile());
        this.signingKey = Es256Provider.convert(key.getPrivate());
        this.kid = EcKeys.kid(key.getPublic());
        this.issuer = auth.agentTokenIssuer();
        this.clock = Clock.systemUTC();
    }

    public record IssuedToken(String agentToken, Instant expiresAt) {
    }

    public IssuedToken issue(String machineId, String siteCode) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(config.agentToken().ttl());
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(AgentTokens.AUDIENCE);
        claims.setSubject(machineId);
        claims.setClaim(AgentTokens.SITE_CLAIM, siteCode);
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(expiresAt.getEpochSecond()));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(signingKey);
        jws.setProviderContext(Es256Provider.PROVIDER_CONTEXT);
        jws.setKeyIdHeaderValue(kid);
        jws.setHeader("typ", "JWT");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        try {
            return new IssuedToken(jws.getCompactSerialization(), expiresAt);
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign an agent token", e);
        }
    }

    public String jwks() {
        return EcKeys.jwks(List.of(key.getPublic()));
    }

    @Override
    public VerificationKeyResolver resolver() {
        return (jws, nestingContext) -> key.getPublic();
    }
}
