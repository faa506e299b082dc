package org.tlsrollout.agent.jobs;

import java.security.PublicKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job-signing keys an agent trusts, by {@code kid}: the keys pinned in its configuration, which nothing
 * removes or replaces, and the keys of the last refreshed set ({@link JwksRefresher}). Only EC P-256 keys
 * meant for ES256 signatures are taken; any other key of a set is ignored. Thread-safe; one instance can serve
 * many agents.
 */
public final class TrustedKeys {
    private static final Logger LOG = LoggerFactory.getLogger(TrustedKeys.class);

    private final Map<String, PublicKey> pinned;
    private volatile Map<String, PublicKey> refreshed = Map.of();

    private TrustedKeys(Map<String, PublicKey> pinned) {
        this.pinned = Collections.unmodifiableMap(pinned);
    }

    /**
     * The keys of a JWKS (RFC 7517) pinned in the agent's configuration.
     *
     * @throws IllegalArgumentException when the set is not a JWKS or holds no usable key
     */
    public static TrustedKeys pinned(String jwksJson) {
        Map<String, PublicKey> keys = parse(jwksJson);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("the pinned JWKS holds no EC P-256 signing key with a kid");
        }
        return new TrustedKeys(keys);
    }

    /** The key with this {@code kid}: a pinned one first, so that a refreshed set can never replace it. */
    public Optional<PublicKey> key(String kid) {
        if (kid == null) {
            return Optional.empty();
        }
        PublicKey key = pinned.get(kid);
        return Optional.ofNullable(key != null ? key : refreshed.get(kid));
    }

    /** Every trusted kid, pinned first. */
    public Set<String> kids() {
        Set<String> kids = new LinkedHashSet<>(pinned.keySet());
        kids.addAll(refreshed.keySet());
        return kids;
    }

    public Set<String> pinnedKids() {
        return pinned.keySet();
    }

    /**
     * Replaces the refreshed keys with those of a newly fetched set. Pinned keys stay whatever the set says: a
     * kid of the set that is pinned keeps its pinned key.
     *
     * @return the kids that this refresh added
     * @throws IllegalArgumentException when the document is not a JWKS
     */
    public synchronized Set<String> refresh(String jwksJson) {
        Map<String, PublicKey> fetched = parse(jwksJson);
        fetched.keySet().removeAll(pinned.keySet());
        Set<String> added = new LinkedHashSet<>(fetched.keySet());
        added.removeAll(refreshed.keySet());
        refreshed = Collections.unmodifiableMap(fetched);
        return added;
    }

    private static Map<String, PublicKey> parse(String jwksJson) {
        JsonWebKeySet set;
        try {
            set = new JsonWebKeySet(jwksJson);
        } catch (JoseException | RuntimeException e) {
            throw new IllegalArgumentException("not a JWKS: " + e.getMessage(), e);
        }
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        for (JsonWebKey jwk : set.getJsonWebKeys()) {
            String kid = jwk.getKeyId();
            if (kid == null || kid.isBlank()) {
                LOG.warn("ignoring a job-signing key without kid");
            } else if (!(jwk instanceof EllipticCurveJsonWebKey ec) || !"P-256".equals(ec.getCurveName())) {
                LOG.warn("ignoring job-signing key {}: not an EC P-256 key", kid);
            } else if (jwk.getAlgorithm() != null && !"ES256".equals(jwk.getAlgorithm())) {
                LOG.warn("ignoring job-signing key {}: alg {} is not ES256", kid, jwk.getAlgorithm());
            } else if (jwk.getUse() != null && !"sig".equals(jwk.getUse())) {
                LOG.warn("ignoring job-signing key {}: use {} is not sig", kid, jwk.getUse());
            } else if (keys.putIfAbsent(kid, ec.getECPublicKey()) != null) {
                LOG.warn("ignoring a second job-signing key with kid {}", kid);
            }
        }
        return keys;
    }
}
