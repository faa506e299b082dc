package org.tlsrollout.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's proof of possession at enrollment (api.md, Authentication): a compact JWS, ES256, signed with the
 * agent's private key, payload {@code {"machineId","siteCode","iat"}} equal to the request's ids, {@code iat}
 * within 5 minutes of the collector's clock.
 */
public final class EnrollmentProof {
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private EnrollmentProof() {
    }

    public static String create(PrivateKey agentKey, String machineId, String siteCode, Instant iat) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("machineId", machineId);
        payload.put("siteCode", siteCode);
        payload.put("iat", iat.getEpochSecond());
        return Es256Jws.sign(agentKey, payload, null);
    }

    /** Empty when {@code proof} is valid for this key, machine and site at {@code now}, else why not. */
    public static Optional<String> refusal(String proof, PublicKey agentKey, String machineId, String siteCode,
            Instant now) {
        Optional<JsonNode> payload = Es256Jws.verify(proof, agentKey);
        if (payload.isEmpty()) {
            return Optional.of("the proof is not an ES256 JWS signed by the public key sent");
        }
        JsonNode p = payload.get();
        if (!p.path("machineId").isTextual() || !p.path("machineId").asText().equals(machineId)
                || !p.path("siteCode").isTextual() || !p.path("siteCode").asText().equals(siteCode)) {
            return Optional.of("the proof names another machineId or siteCode than the request");
        }
        if (!p.path("iat").canConvertToLong()) {
            return Optional.of("the proof has no iat");
        }
        Instant iat = Instant.ofEpochSecond(p.path("iat").asLong());
        if (Duration.between(iat, now).abs().compareTo(MAX_SKEW) > 0) {
            return Optional.of("the proof's iat is more than 5 minutes from the collector's clock");
        }
        return Optional.empty();
    }
}
