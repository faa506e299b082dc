package org.tlsrollout.remediation;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.JoseException;
import org.tlsrollout.common.keys.EcKeys;
import org.tlsrollout.common.security.AgentKeys;
import org.tlsrollout.common.security.AgentTokens;

/**
 * The keys that verify agent tokens in the tests, in place of the collector's JWKS document (it replaces the
 * {@code @DefaultBean} JwksAgentKeys), and the agent tokens the tests present, made as the collector makes them
 * (AgentTokenService: jose4j, ES256, aud tlsrollout, iss tlsrollout-collector, sub = machine id). The key lives in a
 * system property, so that the test code and the application (other class loaders) share it.
 */
@ApplicationScoped
public class TestAgentKeys implements AgentKeys {
    private static final String PROPERTY = "tlsrollout.test.agent-token-key";

    @Override
    public VerificationKeyResolver resolver() {
        KeyPair key = key();
        return (jws, nestingContext) -> key.getPublic();
    }

    /** An agent token for the machine, valid for an hour. */
    public static String token(String machineId) {
        return token(machineId, key());
    }

    /** An agent token signed with another key than the one the service trusts. */
    public static String foreignToken(String machineId) {
        return token(machineId, EcKeys.generate());
    }

    private static String token(String machineId, KeyPair key) {
        Instant now = Instant.now();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("tlsrollout-collector");
        claims.setAudience(AgentTokens.AUDIENCE);
        claims.setSubject(machineId);
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(Duration.ofHours(1)).getEpochSecond()));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivate());
        jws.setKeyIdHeaderValue(EcKeys.kid(key.getPublic()));
        jws.setHeader("typ", "JWT");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair key() {
        String pem = System.getProperty(PROPERTY);
        if (pem == null) {
            // Atomic across class loaders: the first to put it wins.
            System.getProperties().putIfAbsent(PROPERTY, EcKeys.toPem(EcKeys.generate()));
            pem = System.getProperty(PROPERTY);
        }
        return EcKeys.fromPem(pem);
    }
}
