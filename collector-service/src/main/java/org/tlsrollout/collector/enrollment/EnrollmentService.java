package org.tlsrollout.collector.enrollment;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.tlsrollout.collector.config.CollectorConfig;
import org.tlsrollout.common.problem.Problem;
import org.tlsrollout.common.problem.ProblemException;
import org.tlsrollout.contracts.EcJwk;
import org.tlsrollout.contracts.EnrollmentProof;
import org.tlsrollout.contracts.FieldError;
import org.tlsrollout.contracts.Json;

/**
 * Enrollment (api.md, Authentication): the site's secret, then the agent's public key and its proof of possession,
 * then trust on first use: the first enrollment of a machine id binds it to its key; a later one is accepted only
 * with the bound key and a newer proof, else 409 and nothing changes. Issues the agent token.
 */
@ApplicationScoped
public class EnrollmentService {
    private static final Logger LOG = Logger.getLogger(EnrollmentService.class);
    /** The same patterns as snapshot.schema.json, so an enrolled machine can report. */
    public static final Pattern MACHINE_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$");
    private static final Pattern SITE_CODE = Pattern.compile("^[A-Z0-9]{3}$");

    private final CollectorConfig config;
    private final AgentTokenService tokens;
    private final AgentIdentities identities;
    private final Counter conflicts;
    private final Clock clock = Clock.systemUTC();

    public EnrollmentService(CollectorConfig config, AgentTokenService tokens, AgentIdentities identities,
            MeterRegistry registry) {
        this.config = config;
        this.tokens = tokens;
        this.identities = identities;
        this.conflicts = Counter.builder("tlsrollout.enrollment.conflicts")
                .description("Enrollments refused because the machine id is bound to another key")
                .register(registry);
    }

    /** The request body, for the OpenAPI document; the service reads the JSON itself to name every invalid field. */
    public record Enrollment(String machineId, String siteCode, String enrollSecret, Map<String, Object> publicKey,
            String proof) {
    }

    /** Enrolls the agent of this JSON body (at most {@code collector.enrollment.max-body-bytes}, checked by the caller). */
    public AgentTokenService.IssuedToken enroll(byte[] body) {
        JsonNode request;
        try {
            request = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw ProblemException.invalidField("", "the body is not JSON: " + e.getMessage());
        }
        if (request == null || !request.isObject()) {
            throw ProblemException.invalidField("",
                    "a body {machineId, siteCode, enrollSecret, publicKey, proof} is required");
        }
        String machineId = text(request, "machineId");
        String siteCode = text(request, "siteCode");
        String secret = text(request, "enrollSecret");
        String proof = text(request, "proof");
        JsonNode publicKey = request.get("publicKey");
        List<FieldError> errors = new ArrayList<>();
        if (machineId == null || !MACHINE_ID.matcher(machineId).matches()) {
            errors.add(new FieldError("/machineId", "must match " + MACHINE_ID.pattern()));
        }
        if (siteCode == null || !SITE_CODE.matcher(siteCode).matches()) {
            errors.add(new FieldError("/siteCode", "must be a three-character site code matching " + SITE_CODE.pattern()));
        }
        if (secret == null || secret.isEmpty()) {
            errors.add(new FieldError("/enrollSecret", "is required"));
        }
        if (publicKey == null || !publicKey.isObject()) {
            errors.add(new FieldError("/publicKey", "is required: the agent's public key, a JWK of kty EC, crv P-256"));
        }
        if (proof == null || proof.isEmpty()) {
            errors.add(new FieldError("/proof", "is required: a compact JWS (ES256) of {machineId, siteCode, iat} "
                    + "signed with the agent's private key"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("the enrollment is invalid", errors);
        }
        // The secret first: nothing about keys or bindings is told, or stored, without it.
        String expected = config.siteEnrollSecrets().getOrDefault(siteCode, config.enrollSecret().orElse(""));
        if (expected.isEmpty() || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                secret.getBytes(StandardCharsets.UTF_8))) {
            throw new ProblemException(Problem.of(401, "unauthorized", "Unauthorized",
                    "wrong enrollment secret for site " + siteCode));
        }
        ECPublicKey key;
        try {
            key = EcJwk.fromJwk(Json.MAPPER.convertValue(publicKey, new TypeReference<Map<String, Object>>() { }));
        } catch (EcJwk.InvalidKeyException e) {
            throw ProblemException.invalidField("/publicKey", e.getMessage());
        }
        Instant now = clock.instant();
        Optional<String> refusal = EnrollmentProof.refusal(proof, key, machineId, siteCode, now);
        if (refusal.isPresent()) {
            throw ProblemException.invalidField("/proof", refusal.get());
        }
        String thumbprint = EcJwk.thumbprint(key);
        String jwk;
        try {
            jwk = Json.MAPPER.writeValueAsString(EcJwk.toJwk(key));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a JWK", e);
        }
        switch (identities.enroll(machineId, siteCode, jwk, thumbprint, proofIat(proof), now)) {
            case BOUND -> LOG.infof("machine %s (site %s) bound to key %s on first enrollment", machineId, siteCode,
                    thumbprint);
            case RENEWED -> LOG.debugf("machine %s (site %s) enrolled again with its key", machineId, siteCode);
            case OTHER_KEY -> {
                conflicts.increment();
                LOG.warnf("enrollment of machine %s refused: it is bound to another key than %s", machineId, thumbprint);
                throw new ProblemException(Problem.of(409, "identity-conflict", "Conflict", "machine " + machineId
                        + " is bound to another key; an operator may release the binding "
                        + "(DELETE /api/v1/agents/{machineId}/identity)"));
            }
            case STALE_PROOF -> throw ProblemException.invalidField("/proof",
                    "the proof is not newer than the last accepted one (iat): a proof is used once");
        }
        return tokens.issue(machineId, siteCode);
    }

    /** The {@code iat} of a proof that {@link EnrollmentProof#refusal} accepted (so it is there, and a number). */
    private static long proofIat(String proof) {
        try {
            String payload = proof.split("\\.")[1];
            return Json.MAPPER.readTree(Base64.getUrlDecoder().decode(payload)).path("iat").asLong();
        } catch (IOException | RuntimeException e) {
            throw ProblemException.invalidField("/proof", "the proof's payload cannot be read");
        }
    }

    private static String text(JsonNode request, String field) {
        JsonNode value = request.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
