package org.tlsrollout.remediation.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrollout.remediation.TestEstate.awaitMachines;
import static org.tlsrollout.remediation.TestEstate.newMachineId;
import static org.tlsrollout.remediation.TestEstate.newSite;
import static org.tlsrollout.remediation.TestEstate.now;
import static org.tlsrollout.remediation.TestEstate.phases;
import static org.tlsrollout.remediation.TestEstate.send;
import static org.tlsrollout.remediation.TestRollout.awaitJob;
import static org.tlsrollout.remediation.TestRollout.createWave;
import static org.tlsrollout.remediation.TestRollout.report;
import static org.tlsrollout.remediation.TestRollout.waveRequest;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;
import org.tlsrollout.common.keys.EcKeys;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.JobClaims;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;
import org.tlsrollout.contracts.Severity;
import org.tlsrollout.testing.KafkaTestResource;
import org.tlsrollout.testing.PostgresTestResource;
import org.tlsrollout.remediation.TestRollout;

/**
 * api.md, "Signed fix jobs": jobs are signed by the service with Nimbus JOSE; here they are verified with another
 * implementation, jose4j (the agent's), against the JWKS document the service publishes, and every claim and header is
 * checked.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class JobSignatureTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void jobsVerifyWithJose4jAgainstTheJwksAndCarryEveryClaim() throws Exception {
        String site = newSite();
        RuleResult reboot = new RuleResult(RuleId.REBOOT_COMPLETED, RuleStatus.FAIL, Severity.ERROR, Phase.VERIFY,
                "a restart is pending", "000, 002",
                List.of(org.tlsrollout.contracts.Action.restart("registry changes wait for a restart")));
        EvaluationEvent machine = TestRollout.evaluation(newMachineId("sig"), site, now(), "6.1", List.of(Role.CLIENT),
                now().minus(Duration.ofDays(1)),
                phases(PhaseState.NONCOMPLIANT, PhaseState.NOT_APPLICABLE, PhaseState.NONCOMPLIANT,
                        PhaseState.NOT_APPLICABLE),
                List.of(TestRollout.schannelClientFail(), TestRollout.strongCryptoFail(), reboot));
        send(machine);
        awaitMachines(machine);
        String id = machine.machineId();

        String jwksDocument = RestAssured.get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
        JsonWebKeySet jwks = new JsonWebKeySet(jwksDocument);
        assertThat(jwks.getJsonWebKeys()).as("the active key and the rotated-out one").hasSize(2);
        for (JsonWebKey key : jwks.getJsonWebKeys()) {
            assertThat(key).isInstanceOf(EllipticCurveJsonWebKey.class);
            assertThat(((EllipticCurveJsonWebKey) key).getCurveName()).isEqualTo("P-256");
            assertThat(key.getAlgorithm()).isEqualTo("ES256");
            assertThat(key.getUse()).isEqualTo("sig");
            assertThat(key.getKeyId()).isEqualTo(EcKeys.kid(((EllipticCurveJsonWebKey) key).getPublicKey()));
        }
        String rotatedOut = EcKeys.kid(EcKeys.fromPem(Files.readString(
                Path.of("src/test/resources/keys/rotated-out-job-signing.pem"))).getPublic());
        assertThat(jwks.getJsonWebKeys()).extracting(JsonWebKey::getKeyId).contains(rotatedOut);
        String activeKid = jwks.getJsonWebKeys().get(0).getKeyId();
        assertThat(activeKid).isNotEqualTo(rotatedOut);
        // The active key is the one of remediation.signing.key-file, made once for this (test) run and kept there.
        assertThat(activeKid).isEqualTo(EcKeys.kid(EcKeys.fromPem(Files.readString(
                Path.of("target/test-keys/job-signing.pem"))).getPublic()));

        // First job: CLIENTS.
        String clientsWave = createWave(waveRequest(Phase.CLIENTS, site, 0.5));
        Instant issuedAround = Instant.now();
        Map<String, String> first = awaitJob(id);
        JwtClaims claims1 = verify(jwks, first, activeKid);
        assertThat(claims1.getIssuer()).isEqualTo(JobClaims.ISSUER);
        assertThat(claims1.getSubject()).isEqualTo(id);
        assertThat(claims1.getJwtId()).isEqualTo(first.get("jobId"));
        long iat = claims1.getIssuedAt().getValue();
        assertThat(iat).isBetween(issuedAround.getEpochSecond() - 60, Instant.now().getEpochSecond() + 1);
        assertThat(claims1.getNotBefore().getValue()).isEqualTo(iat - 60);
        assertThat(claims1.getExpirationTime().getValue()).isEqualTo(iat + Duration.ofHours(2).toSeconds());
        assertThat(claims1.getClaimValue("wave")).isEqualTo(clientsWave);
        assertThat(claims1.getClaimValue("phase")).isEqualTo("CLIENTS");
        assertThat(claims1.getClaimValue("siteCode")).isEqualTo(site);
        assertThat(claims1.getStringListClaimValue("rules"))
                .containsExactly("SCHANNEL_TLS12_CLIENT", "DOTNET_STRONG_CRYPTO");
        List<Map<String, Object>> actions = actions(claims1);
        assertThat(actions).hasSize(4);
        assertThat(actions.get(0)).containsOnly(Map.entry("type", "SET_REGISTRY_DWORD"),
                Map.entry("key", TestRollout.SCH_TLS12_CLIENT), Map.entry("name", "Enabled"), Map.entry("value", 1L));
        assertThat(actions.get(1)).containsOnly(Map.entry("type", "SET_REGISTRY_DWORD"),
                Map.entry("key", TestRollout.SCH_TLS12_CLIENT), Map.entry("name", "DisabledByDefault"),
                Map.entry("value", 0L));
        assertThat(actions.get(2)).containsOnly(Map.entry("type", "SET_REGISTRY_DWORD"),
                Map.entry("key", RegistryKeys.NET4), Map.entry("name", "SchUseStrongCrypto"), Map.entry("value", 1L));
        assertThat(actions.get(3)).containsOnly(Map.entry("type", "RESTART"),
                Map.entry("reason", "SChannel reads its settings at boot; .NET reads it at start"));
        long seq1 = (Long) claims1.getClaimValue("seq");
        assertThat(claims1.getClaimNames()).containsExactlyInAnyOrderElementsOf(JobClaims.NAMES);
        assertStoredAsSigned(first, claims1, clientsWave, activeKid);

        report(id, first.get("jobId"), "SUCCEEDED");

        // Second job of the same machine: VERIFY, seq strictly greater.
        String verifyWave = createWave(waveRequest(Phase.VERIFY, site, 0.5));
        Map<String, String> second = awaitJob(id);
        JwtClaims claims2 = verify(jwks, second, activeKid);
        assertThat(claims2.getJwtId()).isEqualTo(second.get("jobId")).isNotEqualTo(claims1.getJwtId());
        assertThat((Long) claims2.getClaimValue("seq")).isGreaterThan(seq1);
        assertThat(claims2.getClaimValue("wave")).isEqualTo(verifyWave);
        assertThat(claims2.getClaimValue("phase")).isEqualTo("VERIFY");
        assertThat(claims2.getStringListClaimValue("rules")).containsExactly("REBOOT_COMPLETED");
        assertThat(actions(claims2)).containsExactly(Map.of("type", "RESTART",
                "reason", "registry changes wait for a restart"));

        // jose4j's JWT consumer, as an agent would configure it, accepts it too.
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setExpectedIssuer(JobClaims.ISSUER)
                .setExpectedSubject(id)
                .setRequireExpirationTime()
                .setRequireNotBefore()
                .setRequireIssuedAt()
                .setRequireJwtId()
                .setExpectedType(true, JobClaims.TYPE)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(jwks.getJsonWebKeys()))
                .build();
        JwtContext context = consumer.process(second.get("jws"));
        assertThat(context.getJwtClaims().getSubject()).isEqualTo(id);
    }

    @Test
    void aTamperedJobDoesNotVerify() throws Exception {
        String site = newSite();
        String id = TestRollout.seedClientsToFix("tamper", site, 1).get(0);
        createWave(waveRequest(Phase.CLIENTS, site, 0.5));
        String jws = awaitJob(id).get("jws");
        JsonWebKeySet jwks = new JsonWebKeySet(RestAssured.get("/.well-known/jwks.json").asString());

        String[] parts = jws.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]))
                .replace("\"value\":1", "\"value\":0");
        String tampered = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes()) + "." + parts[2];
        JsonWebSignature signature = new JsonWebSignature();
        signature.setCompactSerialization(tampered);
        signature.setKey(((EllipticCurveJsonWebKey) jwks.getJsonWebKeys().get(0)).getPublicKey());
        assertThat(signature.verifySignature()).isFalse();
    }

    /** Verifies the job's JWS with jose4j and the key of the JWKS its kid names; checks the header. */
    private static JwtClaims verify(JsonWebKeySet jwks, Map<String, String> job, String activeKid) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(job.get("jws"));
        assertThat(jws.getAlgorithmHeaderValue()).isEqualTo("ES256");
        assertThat(jws.getHeader("typ")).isEqualTo(JobClaims.TYPE);
        assertThat(jws.getKeyIdHeaderValue()).isEqualTo(activeKid);
        JsonWebKey key = jwks.getJsonWebKeys().stream().filter(k -> k.getKeyId().equals(jws.getKeyIdHeaderValue()))
                .findFirst().orElseThrow();
        jws.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256));
        jws.setKey(((EllipticCurveJsonWebKey) key).getPublicKey());
        assertThat(jws.verifySignature()).as("ES256 signature with kid " + key.getKeyId()).isTrue();
        return JwtClaims.parse(jws.getPayload());
    }

    /**
     * The job's row holds what its JWS says (the rows go in by COPY text: the registry keys' backslashes must come
     * through as they were signed).
     */
    private void assertStoredAsSigned(Map<String, String> job, JwtClaims claims, String wave, String kid)
            throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT actions::text, jws, kid, wave_id, machine_id,"
                        + " seq, phase, site_code, rules, state, restart, extract(epoch FROM issued_at)::bigint,"
                        + " extract(epoch FROM expires_at)::bigint, batch FROM job WHERE id = ?")) {
            select.setString(1, claims.getJwtId());
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).as("job " + claims.getJwtId() + " is stored").isTrue();
                JsonNode signed = Json.MAPPER.readTree(new String(java.util.Base64.getUrlDecoder()
                        .decode(job.get("jws").split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8));
                assertThat(Json.MAPPER.readTree(rs.getString(1))).isEqualTo(signed.get("actions"));
                assertThat(rs.getString(1)).contains("\\\\SYSTEM\\\\"); // one backslash, escaped in JSON
                assertThat(rs.getString(2)).isEqualTo(job.get("jws"));
                assertThat(rs.getString(3)).isEqualTo(kid);
                assertThat(rs.getString(4)).isEqualTo(wave);
                assertThat(rs.getString(5)).isEqualTo(claims.getSubject());
                assertThat(rs.getLong(6)).isEqualTo((Long) claims.getClaimValue("seq"));
                assertThat(rs.getString(7)).isEqualTo(claims.getClaimValue("phase"));
                assertThat(rs.getString(8)).isEqualTo(claims.getClaimValue("siteCode"));
                assertThat((String[]) rs.getArray(9).getArray())
                        .containsExactlyElementsOf(claims.getStringListClaimValue("rules"));
                assertThat(rs.getString(10)).isEqualTo("ISSUED");
                assertThat(rs.getBoolean(11)).as("it ends with a RESTART").isTrue();
                assertThat(rs.getLong(12)).isEqualTo(claims.getIssuedAt().getValue());
                assertThat(rs.getLong(13)).isEqualTo(claims.getExpirationTime().getValue());
                assertThat(rs.getInt(14)).isEqualTo(1);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> actions(JwtClaims claims) {
        return (List<Map<String, Object>>) claims.getClaimValue("actions");
    }
}
