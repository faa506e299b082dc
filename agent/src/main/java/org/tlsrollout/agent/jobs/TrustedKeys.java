package org.tlsrollout.agent.jobs;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrollout.contracts.EcJwk;
import org.tlsrollout.contracts.Endorsement;
import org.tlsrollout.contracts.Json;

/**
 * The job-signing keys an agent trusts, by {@code kid} (api.md, Signed fix jobs, key rotation):
 * <ul>
 *   <li>the keys pinned in its configuration, which nothing removes or replaces;</li>
 *   <li>keys taken from a fetched JWKS ({@link JwksRefresher}) only when their JWK carries an {@code endorsement}
 *       that a key already trusted signed for that key's thumbprint ({@link Endorsement#isValid}). A key endorsed by
 *       a key accepted earlier is taken too (a chain of rotations). Accepted keys stay trusted, and are kept in a
 *       file when one is given (re-checked against the pinned keys when read). A key without a valid endorsement is
 *       ignored, logged once.</li>
 * </ul>
 * Only EC P-256 keys meant for ES256 signatures are taken. Thread-safe; one instance can serve many agents.
 */
public final class TrustedKeys {
    private static final Logger LOG = LoggerFactory.getLogger(TrustedKeys.class);

    private final Map<String, PublicKey> pinned;
    private final Path acceptedFile;
    /** kid to the accepted JWK (with its endorsement), in the order accepted. */
    private final Map<String, Accepted> accepted = new LinkedHashMap<>();
    private volatile Map<String, PublicKey> acceptedKeys = Map.of();
    private final Set<String> loggedIgnored = ConcurrentHashMap.newKeySet();

    private TrustedKeys(Map<String, PublicKey> pinned, Path acceptedFile) {
        this.pinned = Collections.unmodifiableMap(pinned);
        this.acceptedFile = acceptedFile;
    }

    /**
     * The keys of a JWKS (RFC 7517) pinned in the agent's configuration; keys accepted by rotation live in memory.
     *
     * @throws IllegalArgumentException when the set is not a JWKS or holds no usable key
     */
    public static TrustedKeys pinned(String jwksJson) {
        return pinned(jwksJson, null);
    }

    /**
     * The pinned keys, and the keys accepted by rotation kept in {@code acceptedFile} (read now, written on each
     * change; null: in memory only).
     */
    public static TrustedKeys pinned(String jwksJson, Path acceptedFile) {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        for (Candidate c : parse(jwksJson)) {
            if (keys.putIfAbsent(c.kid, c.key) != null) {
                LOG.warn("ignoring a second pinned job-signing key with kid {}", c.kid);
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("the pinned JWKS holds no EC P-256 signing key with a kid");
        }
        TrustedKeys trusted = new TrustedKeys(keys, acceptedFile);
        if (acceptedFile != null) {
            trusted.load();
        }
        return trusted;
    }

    /** The key with this {@code kid}: a pinned one first, so that a fetched set can never replace it. */
    public Optional<PublicKey> key(String kid) {
        if (kid == null) {
            return Optional.empty();
        }
        PublicKey key = pinned.get(kid);
        return Optional.ofNullable(key != null ? key : acceptedKeys.get(kid));
    }

    /** Every trusted kid, pinned first. */
    public Set<String> kids() {
        Set<String> kids = new LinkedHashSet<>(pinned.keySet());
        kids.addAll(acceptedKeys.keySet());
        return kids;
    }

    public Set<String> pinnedKids() {
        return pinned.keySet();
    }

    /**
     * Takes from a fetched JWKS each key endorsed by a key already trusted (until no more is taken: an endorsement
     * by a key this same set brought counts once that key is taken). Pinned and accepted keys stay whatever the set
     * says.
     *
     * @return the kids this refresh added
     * @throws IllegalArgumentException when the document is not a JWKS
     */
    public synchronized Set<String> refresh(String jwksJson) {
        List<Candidate> pending = new ArrayList<>(parse(jwksJson));
        pending.removeIf(c -> pinned.containsKey(c.kid) || accepted.containsKey(c.kid));
        Set<String> added = new LinkedHashSet<>();
        boolean progress = true;
        while (progress && !pending.isEmpty()) {
            progress = false;
            List<PublicKey> trusted = new ArrayList<>(pinned.values());
            for (Accepted a : accepted.values()) {
                trusted.add(a.key);
            }
            for (var it = pending.iterator(); it.hasNext(); ) {
                Candidate c = it.next();
                if (c.endorsement != null && Endorsement.isValid(c.endorsement, c.key, trusted)) {
                    accepted.put(c.kid, new Accepted(c.key, c.jwk));
                    added.add(c.kid);
                    it.remove();
                    progress = true;
                    break; // the trusted list grew
                }
            }
        }
        for (Candidate c : pending) {
            if (loggedIgnored.add(c.kid + " " + EcJwk.thumbprint(c.key))) {
                LOG.warn("ignoring job-signing key {} of the fetched JWKS: {}", c.kid, c.endorsement == null
                        ? "it carries no endorsement" : "its endorsement is not signed by a trusted key for this key");
            }
        }
        if (!added.isEmpty()) {
            publish();
            save();
        }
        return added;
    }

    private void publish() {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        accepted.forEach((kid, a) -> keys.put(kid, a.key));
        acceptedKeys = Collections.unmodifiableMap(keys);
    }

    /** Reads the accepted keys back, as a fetched set: each must still be endorsed along a chain from a pinned key. */
    private synchronized void load() {
        String json;
        try {
            json = Files.readString(acceptedFile);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the accepted job-signing keys " + acceptedFile, e);
        }
        refresh(json);
    }

    private void save() {
        if (acceptedFile == null) {
            return;
        }
        ArrayNode keys = Json.MAPPER.createArrayNode();
        accepted.values().forEach(a -> keys.add(a.jwk));
        ObjectNode set = Json.MAPPER.createObjectNode();
        set.set("keys", keys);
        try {
            AtomicFiles.write(acceptedFile, Json.MAPPER.writeValueAsBytes(set));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the accepted job-signing keys in " + acceptedFile, e);
        }
    }

    private static List<Candidate> parse(String jwksJson) {
        JsonNode set;
        try {
            set = Json.MAPPER.readTree(jwksJson);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a JWKS: " + e.getMessage(), e);
        }
        if (set == null || !set.path("keys").isArray()) {
            throw new IllegalArgumentException("not a JWKS: no \"keys\" array");
        }
        List<Candidate> keys = new ArrayList<>();
        for (JsonNode jwk : set.path("keys")) {
            String kid = jwk.path("kid").isTextual() ? jwk.path("kid").asText() : null;
            if (kid == null || kid.isBlank()) {
                LOG.warn("ignoring a job-signing key without kid");
                continue;
            }
            String shown = JobVerifier.shown(kid);
            if (jwk.has("alg") && !"ES256".equals(jwk.path("alg").asText())) {
                LOG.warn("ignoring job-signing key {}: alg {} is not ES256", shown, JobVerifier.shown(jwk.path("alg").asText()));
                continue;
            }
            if (jwk.has("use") && !"sig".equals(jwk.path("use").asText())) {
                LOG.warn("ignoring job-signing key {}: use {} is not sig", shown, JobVerifier.shown(jwk.path("use").asText()));
                continue;
            }
            PublicKey key;
            try {
                key = EcJwk.fromJwk(Json.MAPPER.convertValue(jwk, new TypeReference<Map<String, Object>>() { }));
            } catch (EcJwk.InvalidKeyException | IllegalArgumentException e) {
                LOG.warn("ignoring job-signing key {}: {}", shown, e.getMessage());
                continue;
            }
            JsonNode e = jwk.path(Endorsement.JWK_MEMBER);
            keys.add(new Candidate(kid, key, e.isTextual() ? e.asText() : null, jwk.deepCopy()));
        }
        return keys;
    }

    private record Candidate(String kid, PublicKey key, String endorsement, JsonNode jwk) {
    }

    private record Accepted(PublicKey key, JsonNode jwk) {
    }
}
