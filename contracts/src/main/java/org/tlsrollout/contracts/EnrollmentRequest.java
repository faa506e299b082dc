package org.tlsrollout.contracts;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Map;

/**
 * The body of {@code POST /api/v1/agents/enroll} (api.md, Authentication): the site's secret, the agent's public
 * key as a JWK and its proof of possession.
 */
public record EnrollmentRequest(String machineId, String siteCode, String enrollSecret, Map<String, Object> publicKey,
        String proof) {

    /** The request of the agent holding {@code agentKey}, its proof made at {@code now}. */
    public static EnrollmentRequest signed(KeyPair agentKey, String machineId, String siteCode, String enrollSecret,
            Instant now) {
        return new EnrollmentRequest(machineId, siteCode, enrollSecret, EcJwk.toJwk(agentKey.getPublic()),
                EnrollmentProof.create(agentKey.getPrivate(), machineId, siteCode, now));
    }

    /** A new EC P-256 key pair, as an agent makes on its first start. */
    public static KeyPair newAgentKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Es256Provider.provider());
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no EC P-256 key pair generator", e);
        }
    }
}
