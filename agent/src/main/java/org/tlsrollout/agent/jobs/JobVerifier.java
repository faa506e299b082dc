package org.tlsrollout.agent.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;
import org.tlsrollout.agent.jobs.Verification.Reason;
import org.tlsrollout.agent.jobs.Verification.Rejected;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.ActionPolicy;
import org.tlsrollout.contracts.ActionType;
import org.tlsrollout.contracts.Es256Provider;
import org.tlsrollout.contracts.JobClaims;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.RuleId;

/**
 * Decides whether a signed fix job (api.md, "Signed fix jobs") may be applied on this machine. A job is
 * verified only when ALL hold:
 * <ol>
 *   <li>it is a JWS compact serialization whose header says {@code alg} ES256 (never {@code none}, HS* or any
 *       other) and {@code typ} {@value JobClaims#TYPE};</li>
 *   <li>its {@code kid} names a key of {@link TrustedKeys}, and the ES256 signature verifies with that key
 *       (keys embedded in the header, {@code jku} and {@code x5u} are never used);</li>
 *   <li>{@code iss} is the expected issuer (when one is configured), {@code sub} is this machine, {@code jti}
 *       is the job id it was polled under;</li>
 *   <li>now is within {@code nbf}..{@code exp}, give or take the clock skew;</li>
 *   <li>{@code seq} is strictly greater than the last applied ({@link SequenceStore});</li>
 *   <li>every action passes {@link ActionPolicy#refusal}.</li>
 * </ol>
 * The signature is checked before anything in the payload is believed. Verifying changes nothing: the
 * sequence is taken by {@link JobHandler} when it applies the job.
 */
public final class JobVerifier {
    public static final Duration DEFAULT_SKEW = Duration.ofSeconds(60);
    private static final int MAX_JWS_LENGTH = 256 * 1024;
    private static final int SHOWN = 64;
    private static final Set<String> ACTION_TYPES = new TreeSet<>();

    static {
        for (ActionType t : ActionType.values()) {
            ACTION_TYPES.add(t.name());
        }
    }

    private final TrustedKeys keys;
    private final String machineId;
    private final SequenceStore sequence;
    private final Clock clock;
    private final long skewSeconds;
    private final String expectedIssuer;
    private final Set<String> laterRollups;

    /**
     * @param expectedIssuer the {@code iss} every job must carry, or null to accept any
     */
    public JobVerifier(TrustedKeys keys, String machineId, SequenceStore sequence, Clock clock, Duration skew,
            String expectedIssuer) {
        this(keys, machineId, sequence, clock, skew, expectedIssuer, Set.of());
    }

    /**
     * @param expectedIssuer the {@code iss} every job must carry, or null to accept any
     * @param laterRollups   the KBs the estate configures as later rollups, which INSTALL_UPDATE may name too
     */
    public JobVerifier(TrustedKeys keys, String machineId, SequenceStore sequence, Clock clock, Duration skew,
            String expectedIssuer, Set<String> laterRollups) {
        this.laterRollups = Set.copyOf(laterRollups);
        this.keys = Objects.requireNonNull(keys, "keys");
        this.machineId = Objects.requireNonNull(machineId, "machineId");
        this.sequence = Objects.requireNonNull(sequence, "sequence");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.skewSeconds = skew.toSeconds();
        this.expectedIssuer = expectedIssuer;
    }

    public JobVerifier(TrustedKeys keys, String machineId, SequenceStore sequence, Clock clock) {
        this(keys, machineId, sequence, clock, DEFAULT_SKEW, JobClaims.ISSUER);
    }

    /** Verifies a job without a poll id to compare {@code jti} with. */
    public Verification verify(String jws) {
        return verify(null, jws);
    }

    /** Verifies a job polled as {@code jobId} (null: do not compare). */
    public Verification verify(String jobId, String compact) {
        if (compact == null || compact.isBlank()) {
            return reject(Reason.MALFORMED, "empty job");
        }
        if (compact.length() > MAX_JWS_LENGTH) {
            return reject(Reason.MALFORMED, "job larger than " + MAX_JWS_LENGTH + " characters");
        }
        JsonWebSignature jws = new JsonWebSignature();
        try {
            jws.setCompactSerialization(compact.strip());
        } catch (JoseException | RuntimeException e) {
            return reject(Reason.MALFORMED, "not a JWS compact serialization (" + shown(e.getMessage()) + ")");
        }
        String alg = header(jws, "alg");
        if (!AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256.equals(alg)) {
            return reject(Reason.ALGORITHM, "alg " + shown(alg) + "; only ES256 is accepted");
        }
        String typ = header(jws, "typ");
        if (!isJobType(typ)) {
            return reject(Reason.TYPE, "typ " + shown(typ) + "; expected " + JobClaims.TYPE);
        }
        String kid = header(jws, "kid");
        if (kid == null) {
            return reject(Reason.UNKNOWN_KEY, "no kid in the header");
        }
        Optional<PublicKey> key = keys.key(kid);
        if (key.isEmpty()) {
            return reject(Reason.UNKNOWN_KEY, "kid " + shown(kid) + " is not among the trusted keys " + keys.kids());
        }
        jws.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256));
        jws.setKey(Es256Provider.convert(key.get()));
        jws.setProviderContext(Es256Provider.PROVIDER_CONTEXT);
        try {
            if (!jws.verifySignature()) {
                return reject(Reason.BAD_SIGNATURE, "the ES256 signature does not verify with key " + kid);
            }
        } catch (JoseException | RuntimeException e) {
            return reject(Reason.BAD_SIGNATURE, "cannot verify with key " + kid + " (" + shown(e.getMessage()) + ")");
        }
        // From here on the payload is what the trusted key signed.
        JsonNode payload;
        try {
            payload = Json.MAPPER.readTree(jws.getUnverifiedPayload());
        } catch (JsonProcessingException | RuntimeException e) {
            return reject(Reason.MALFORMED, "the payload is not JSON");
        }
        if (payload == null || !payload.isObject()) {
            return reject(Reason.MALFORMED, "the payload is not a JSON object");
        }
        return checkClaims(jobId, (ObjectNode) payload);
    }

    private Verification checkClaims(String jobId, ObjectNode payload) {
        for (String name : new String[] {"sub", "jti"}) {
            if (!payload.path(name).isTextual() || payload.path(name).asText().isEmpty()) {
                return reject(Reason.MALFORMED, "claim " + name + " missing or not a string");
            }
        }
        for (String name : new String[] {"iat", "nbf", "exp", "seq"}) {
            JsonNode n = payload.path(name);
            if (!n.isIntegralNumber() || !n.canConvertToLong()) {
                return reject(Reason.MALFORMED, "claim " + name + " missing or not an integer");
            }
        }
        if (!payload.path("actions").isArray() || payload.path("actions").isEmpty()) {
            return reject(Reason.MALFORMED, "no actions");
        }
        String iss = payload.path("iss").isTextual() ? payload.path("iss").asText() : null;
        if (expectedIssuer != null && !expectedIssuer.equals(iss)) {
            return reject(Reason.ISSUER, "iss " + iss + "; expected " + expectedIssuer);
        }
        String sub = payload.path("sub").asText();
        if (!machineId.equals(sub)) {
            return reject(Reason.OTHER_MACHINE, "sub " + sub + " is not this machine (" + machineId + ")");
        }
        String jti = payload.path("jti").asText();
        if (jobId != null && !jobId.equals(jti)) {
            return reject(Reason.JOB_ID, "jti " + jti + " was polled as job " + jobId);
        }
        long now = clock.instant().getEpochSecond();
        long nbf = payload.path("nbf").asLong();
        long exp = payload.path("exp").asLong();
        if (now + skewSeconds < nbf) {
            return reject(Reason.NOT_YET_VALID, "nbf " + nbf + " is after now " + now + " (skew " + skewSeconds + " s)");
        }
        if (now - skewSeconds >= exp) {
            return reject(Reason.EXPIRED, "exp " + exp + " is not after now " + now + " (skew " + skewSeconds + " s)");
        }
        long seq = payload.path("seq").asLong();
        long last;
        try {
            last = sequence.last();
        } catch (RuntimeException e) {
            return reject(Reason.STATE_UNAVAILABLE, "cannot read the last applied seq: " + e.getMessage());
        }
        if (seq <= last) {
            return reject(Reason.REPLAYED, "seq " + seq + " is not greater than the last applied seq " + last);
        }
        ArrayNode actions = (ArrayNode) payload.path("actions");
        for (int i = 0; i < actions.size(); i++) {
            JsonNode a = actions.get(i);
            String type = a.path("type").asText(null);
            if (type == null || !ACTION_TYPES.contains(type)) {
                return reject(Reason.NOT_ALLOWED, "action " + (i + 1) + " has type " + type
                        + ", which is outside the allowlist");
            }
            if (a.has("value") && !(a.path("value").isIntegralNumber() || a.path("value").isNull())) {
                return reject(Reason.NOT_ALLOWED, "action " + (i + 1) + ": value " + a.path("value") + " is not a DWORD");
            }
        }
        dropUnknownRules(payload);
        JobClaims claims;
        try {
            claims = Json.MAPPER.treeToValue(payload, JobClaims.class);
        } catch (JsonProcessingException | RuntimeException e) {
            return reject(Reason.MALFORMED, "claims cannot be read (" + firstLine(e.getMessage()) + ")");
        }
        if (claims.phase() == null) {
            return reject(Reason.MALFORMED, "no phase");
        }
        for (int i = 0; i < claims.actions().size(); i++) {
            Action action = claims.actions().get(i);
            Optional<String> refusal = ActionPolicy.refusal(action, laterRollups);
            if (refusal.isPresent()) {
                return reject(Reason.NOT_ALLOWED, "action " + (i + 1) + ": " + refusal.get());
            }
        }
        return new Verification.Verified(claims);
    }

    /** {@code rules} only says what a job fixes; a rule id from a newer catalog must not make it unreadable. */
    private static void dropUnknownRules(ObjectNode payload) {
        JsonNode rules = payload.path("rules");
        if (!rules.isArray()) {
            payload.remove("rules");
            return;
        }
        ArrayNode known = payload.arrayNode();
        for (JsonNode r : rules) {
            if (r.isTextual() && isRule(r.asText())) {
                known.add(r);
            }
        }
        payload.set("rules", known);
    }

    private static boolean isRule(String name) {
        for (RuleId id : RuleId.values()) {
            if (id.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** RFC 7515 4.1.9: media type names compare case-insensitively; "application/" may be left out. */
    private static boolean isJobType(String typ) {
        if (typ == null) {
            return false;
        }
        String t = typ.toLowerCase(Locale.ROOT);
        return t.equals(JobClaims.TYPE) || t.equals("application/" + JobClaims.TYPE);
    }

    private static String header(JsonWebSignature jws, String name) {
        try {
            Object value = jws.getHeaders().getObjectHeaderValue(name);
            return value instanceof String s ? s : value == null ? null : String.valueOf(value);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * A header value of a job that has not verified (anyone could have written it), as it may be logged and reported:
     * printable ASCII only (anything else becomes '?', so no line breaks or escape sequences reach a log) and at most
     * {@value #SHOWN} characters.
     */
    static String shown(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(Math.min(value.length(), SHOWN) + 3);
        for (int i = 0; i < value.length() && b.length() < SHOWN; i++) {
            char ch = value.charAt(i);
            b.append(ch >= 0x20 && ch < 0x7f ? ch : '?');
        }
        if (value.length() > SHOWN) {
            b.append("...");
        }
        return b.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static Rejected reject(Reason reason, String detail) {
        return new Rejected(reason, detail);
    }
}
