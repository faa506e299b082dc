package org.tlsrollout.agent.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.JobClaims;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.RuleId;

/**
 * Signs jobs the way remediation-service does, with Nimbus JOSE: another JOSE implementation than the agent's
 * (jose4j), so that the tests prove interoperability and not one library agreeing with itself.
 */
public final class TestJobs {
    private TestJobs() {
    }

    public static ECKey newKey(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public JWKS of these keys, as {@code /.well-known/jwks.json} serves it. */
    public static String jwks(JWK... keys) {
        return new JWKSet(List.of(keys)).toPublicJWKSet().toString();
    }

    /** The endorsement of {@code newKey} by {@code endorser} (api.md, key rotation), as remediation's cli makes it. */
    public static String endorse(ECKey endorser, ECKey newKey) {
        try {
            return org.tlsrollout.contracts.Endorsement.create(endorser.toECPrivateKey(), endorser.toECPublicKey(),
                    newKey.toECPublicKey(), Instant.now());
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public JWK of a key carrying {@code endorsement} (none when null). */
    public static java.util.Map<String, Object> jwk(ECKey key, String endorsement) {
        java.util.Map<String, Object> jwk = new java.util.LinkedHashMap<>(key.toPublicJWK().toJSONObject());
        if (endorsement != null) {
            jwk.put(org.tlsrollout.contracts.Endorsement.JWK_MEMBER, endorsement);
        }
        return jwk;
    }

    /** A JWKS of these JWKs. */
    @SafeVarargs
    public static String jwksOf(java.util.Map<String, Object>... jwks) {
        try {
            return Json.MAPPER.writeValueAsString(java.util.Map.of("keys", List.of(jwks)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JobClaims claims(String machineId, long seq, Instant now, Action... actions) {
        return new JobClaims(JobClaims.ISSUER, machineId, "job-" + UUID.randomUUID(), now.getEpochSecond() - 10,
                now.getEpochSecond() - 10, now.getEpochSecond() + 3600, seq, "wave-1", Phase.CLIENTS, "P01",
                List.of(RuleId.DOTNET_STRONG_CRYPTO), List.of(actions));
    }

    public static String json(JobClaims claims) {
        try {
            return Json.MAPPER.writeValueAsString(claims);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A job as remediation-service signs it: ES256, the key's kid, typ tlsrollout-job+jwt. */
    public static String sign(ECKey key, JobClaims claims) {
        return sign(key, json(claims), b -> { });
    }

    /** Signs any payload with ES256; {@code header} may change the header (kid, typ...). */
    public static String sign(ECKey key, String payload, Consumer<JWSHeader.Builder> header) {
        JWSHeader.Builder b = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                .type(new JOSEObjectType(JobClaims.TYPE));
        header.accept(b);
        return sign(b.build(), payload, signer(key));
    }

    /** HS256 with the trusted EC key's public coordinates as the secret: the classic key-confusion forgery. */
    public static String signHs256WithPublicKey(ECKey trusted, JobClaims claims) {
        byte[] secret = (trusted.getX().toString() + trusted.getY().toString()).getBytes(StandardCharsets.US_ASCII);
        try {
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(trusted.getKeyID())
                    .type(new JOSEObjectType(JobClaims.TYPE)).build();
            return sign(header, json(claims), new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RS256 with a fresh RSA key that claims a trusted kid. */
    public static String signRs256(String kid, JobClaims claims) {
        try {
            RSAKey rsa = new RSAKeyGenerator(2048).keyID(kid).generate();
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid)
                    .type(new JOSEObjectType(JobClaims.TYPE)).build();
            return sign(header, json(claims), new RSASSASigner(rsa));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code alg: none}, no signature. */
    public static String unsigned(String kid, JobClaims claims) {
        String header = "{\"alg\":\"none\",\"kid\":\"" + kid + "\",\"typ\":\"" + JobClaims.TYPE + "\"}";
        return b64(header) + "." + b64(json(claims)) + ".";
    }

    /** The same JWS with its payload replaced, the signature kept. */
    public static String withPayload(String jws, String payload) {
        String[] parts = jws.split("\\.");
        return parts[0] + "." + b64(payload) + "." + parts[2];
    }

    /** The payload of a JWS, as JSON, to alter. */
    public static ObjectNode payload(String jws) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(Base64.getUrlDecoder().decode(jws.split("\\.")[1]));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWSHeader header, String payload, JWSSigner signer) {
        try {
            JWSObject jws = new JWSObject(header, new Payload(payload));
            jws.sign(signer);
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWSSigner signer(ECKey key) {
        try {
            return new ECDSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
