package org.tlsrollout.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Optional;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * Compact ES256 JWS over a JSON payload: the agent's proof of possession and a signing key's endorsement. Keys are
 * converted to the provider's own at each call, not through Es256Provider's cache: there is one per agent, a million
 * on a large estate, and each is used once per enrollment.
 */
final class Es256Jws {
    private static final AlgorithmConstraints ES256_ONLY =
            new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);

    private Es256Jws() {
    }

    static String sign(PrivateKey key, Object payload, String kid) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
            if (kid != null) {
                jws.setKeyIdHeaderValue(kid);
            }
            jws.setPayload(Json.MAPPER.writeValueAsString(payload));
            jws.setKey(Es256Provider.convert(Es256Provider.provider(), key));
            jws.setProviderContext(Es256Provider.PROVIDER_CONTEXT);
            return jws.getCompactSerialization();
        } catch (JoseException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot sign: " + e.getMessage(), e);
        }
    }

    /** The payload when {@code compact} is an ES256 JWS that {@code key} verifies, else empty. */
    static Optional<JsonNode> verify(String compact, PublicKey key) {
        if (compact == null || compact.length() > 8192) {
            return Optional.empty();
        }
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setAlgorithmConstraints(ES256_ONLY);
            jws.setCompactSerialization(compact);
            jws.setKey(Es256Provider.convert(Es256Provider.provider(), key));
            jws.setProviderContext(Es256Provider.PROVIDER_CONTEXT);
            if (!jws.verifySignature()) {
                return Optional.empty();
            }
            JsonNode payload = Json.MAPPER.readTree(jws.getUnverifiedPayload());
            return payload != null && payload.isObject() ? Optional.of(payload) : Optional.empty();
        } catch (JoseException | com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
