package org.tlsrollout.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** api.md, Authentication (proof of possession) and Signed fix jobs (endorsement of a rotated key). */
class AgentIdentityCryptoTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    @Test
    void aProofVerifiesForItsKeyIdsAndTime() throws Exception {
        KeyPair agent = p256();
        String proof = EnrollmentProof.create(agent.getPrivate(), "PC-1", "NYC", NOW);
        assertThat(EnrollmentProof.refusal(proof, agent.getPublic(), "PC-1", "NYC", NOW.plusSeconds(299))).isEmpty();
        assertThat(EnrollmentProof.refusal(proof, agent.getPublic(), "PC-2", "NYC", NOW)).isPresent();
        assertThat(EnrollmentProof.refusal(proof, agent.getPublic(), "PC-1", "LON", NOW)).isPresent();
        assertThat(EnrollmentProof.refusal(proof, agent.getPublic(), "PC-1", "NYC", NOW.plusSeconds(301)))
                .get().asString().contains("5 minutes");
        assertThat(EnrollmentProof.refusal(proof, p256().getPublic(), "PC-1", "NYC", NOW)).isPresent();
        assertThat(EnrollmentProof.refusal("not.a.jws", agent.getPublic(), "PC-1", "NYC", NOW)).isPresent();
    }

    @Test
    void aProofWithAnotherAlgorithmIsRefused() throws Exception {
        KeyPair agent = p256();
        // alg none: header {"alg":"none"}, payload as a real proof would be.
        String header = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
        String payload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"machineId\":\"PC-1\",\"siteCode\":\"NYC\",\"iat\":" + NOW.getEpochSecond() + "}").getBytes());
        assertThat(EnrollmentProof.refusal(header + "." + payload + ".", agent.getPublic(), "PC-1", "NYC", NOW)).isPresent();
    }

    @Test
    void jwksRoundTripAndRefuseOtherKeys() throws Exception {
        KeyPair agent = p256();
        Map<String, Object> jwk = EcJwk.toJwk(agent.getPublic());
        assertThat(jwk).containsEntry("kty", "EC").containsEntry("crv", "P-256").doesNotContainKey("d");
        assertThat(EcJwk.fromJwk(jwk)).isEqualTo(agent.getPublic());
        Map<String, Object> withPrivate = new HashMap<>(jwk);
        withPrivate.put("d", "AAAA");
        assertThatThrownBy(() -> EcJwk.fromJwk(withPrivate)).hasMessageContaining("private");
        Map<String, Object> otherCurve = new HashMap<>(jwk);
        otherCurve.put("crv", "P-384");
        assertThatThrownBy(() -> EcJwk.fromJwk(otherCurve)).isInstanceOf(EcJwk.InvalidKeyException.class);
        Map<String, Object> offCurve = new HashMap<>(jwk);
        offCurve.put("y", jwk.get("x"));
        assertThatThrownBy(() -> EcJwk.fromJwk(offCurve)).isInstanceOf(EcJwk.InvalidKeyException.class);
        assertThatThrownBy(() -> EcJwk.fromJwk(Map.of("kty", "RSA"))).isInstanceOf(EcJwk.InvalidKeyException.class);
    }

    @Test
    void anEndorsementByATrustedKeyNamesTheNewKey() throws Exception {
        KeyPair trusted = p256();
        KeyPair next = p256();
        KeyPair attacker = p256();
        String endorsement = Endorsement.create(trusted.getPrivate(), trusted.getPublic(), next.getPublic(), NOW);
        assertThat(Endorsement.isValid(endorsement, next.getPublic(), List.of(trusted.getPublic()))).isTrue();
        // The same endorsement does not make another key trusted, and an untrusted endorser counts for nothing.
        assertThat(Endorsement.isValid(endorsement, attacker.getPublic(), List.of(trusted.getPublic()))).isFalse();
        String selfMade = Endorsement.create(attacker.getPrivate(), attacker.getPublic(), attacker.getPublic(), NOW);
        assertThat(Endorsement.isValid(selfMade, attacker.getPublic(), List.of(trusted.getPublic()))).isFalse();
        assertThat(Endorsement.isValid(null, next.getPublic(), List.of(trusted.getPublic()))).isFalse();
    }
}
