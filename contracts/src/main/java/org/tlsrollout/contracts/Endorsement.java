package org.tlsrollout.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A job-signing key's endorsement (api.md, Signed fix jobs, key rotation): a compact JWS, ES256, signed by a key
 * agents already trust, payload {@code {"thumbprint","iat"}} where {@code thumbprint} is the RFC 7638 thumbprint
 * of the new key. Agents take a key from the JWKS only with a valid one.
 */
public final class Endorsement {
    /** The JWK member that carries it. */
    public static final String JWK_MEMBER = "endorsement";
    /** Where the cli writes a key's endorsement: beside the key file, with this suffix. */
    public static final String FILE_SUFFIX = ".endorsement";

    private Endorsement() {
    }

    /** The endorsement of {@code newKey} by {@code endorser} (whose thumbprint goes in the header's {@code kid}). */
    public static String create(PrivateKey endorser, PublicKey endorserPublic, PublicKey newKey, Instant iat) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("thumbprint", EcJwk.thumbprint(newKey));
        payload.put("iat", iat.getEpochSecond());
        return Es256Jws.sign(endorser, payload, EcJwk.thumbprint(endorserPublic));
    }

    /** True when one of {@code trusted} signed {@code endorsement} and it names {@code newKey}'s thumbprint. */
    public static boolean isValid(String endorsement, PublicKey newKey, Collection<? extends PublicKey> trusted) {
        String thumbprint;
        try {
            thumbprint = EcJwk.thumbprint(newKey);
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (PublicKey key : trusted) {
            var payload = Es256Jws.verify(endorsement, key);
            if (payload.isPresent()) {
                JsonNode p = payload.get();
                return p.path("thumbprint").isTextual() && p.path("thumbprint").asText().equals(thumbprint)
                        && p.path("iat").canConvertToLong();
            }
        }
        return false;
    }
}
