package org.tlsrollout.collector.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.tlsrollout.collector.enrollment.AgentIdentities;
import org.tlsrollout.common.keys.EcKeys;
import org.tlsrollout.common.security.AgentTokens;
import org.tlsrollout.contracts.AuditEvent;
import org.tlsrollout.contracts.EcJwk;
import org.tlsrollout.contracts.EnrollmentProof;
import org.tlsrollout.contracts.Examples;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.testing.KafkaTestResource;
import org.tlsrollout.testing.OidcTestIssuer;
import org.tlsrollout.testing.TopicRecords;
import org.tlsrollout.testing.PostgresTestResource;

/**
 * api.md, Authentication: enrollment with a public key and a proof of possession, trust on first use (bound in a
 * real PostgreSQL database), the release of a binding, agent tokens of at most 24 hours naming their site, and the
 * snapshot checks that rely on it (the token's site, a collectedAt not in the future).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OidcTestIssuer.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class EnrollmentTest {
    static final String OPERATOR = SnapshotResourceTest.OPERATOR;

    @Inject
    AgentIdentities identities;

    @Test
    void theFirstEnrollmentBindsTheKeyAndTheTokenNamesTheSiteForAtMost24Hours() throws Exception {
        TestAgent agent = new TestAgent();
        String machineId = SnapshotResourceTest.newMachineId();
        Instant before = Instant.now();
        var answer = agent.enrollWith(agent.body(machineId, "NYC")).then().statusCode(200).extract();

        assertThat(identities.thumbprint(machineId)).isEqualTo(EcJwk.thumbprint(agent.key.getPublic()));
        JsonNode claims = claims(answer.path("agentToken"));
        assertThat(claims.get("sub").asText()).isEqualTo(machineId);
        assertThat(claims.get(AgentTokens.SITE_CLAIM).asText()).isEqualTo("NYC");
        long lifetime = claims.get("exp").asLong() - claims.get("iat").asLong();
        assertThat(lifetime).isPositive().isLessThanOrEqualTo(Duration.ofHours(24).toSeconds());
        assertThat(Instant.parse(answer.<String>path("expiresAt")))
                .isBeforeOrEqualTo(Instant.now().plus(Duration.ofHours(24)))
                .isAfter(before);
    }

    @Test
    void theBoundKeyEnrollsAgainWithANewProofAndMayNameAnotherSite() throws Exception {
        TestAgent agent = new TestAgent();
        String machineId = SnapshotResourceTest.newMachineId();
        agent.enroll(machineId, "NYC");

        String moved = agent.enrollWith(agent.body(machineId, "LON", TestAgent.SECRET,
                        EnrollmentProof.create(agent.key.getPrivate(), machineId, "LON", Instant.now().plusSeconds(1))))
                .then().statusCode(200).extract().path("agentToken");

        assertThat(claims(moved).get(AgentTokens.SITE_CLAIM).asText()).isEqualTo("LON");
        assertThat(identities.thumbprint(machineId)).isEqualTo(EcJwk.thumbprint(agent.key.getPublic()));
    }

    @Test
    void anotherKeyForABoundMachineIs409CountedAndChangesNothing() {
        TestAgent owner = new TestAgent();
        TestAgent other = new TestAgent();
        String machineId = SnapshotResourceTest.newMachineId();
        owner.enroll(machineId, "NYC");
        double conflictsBefore = conflicts();

        other.enrollWith(other.body(machineId, "NYC")).then().statusCode(409)
                .contentType("application/problem+json").body("status", equalTo(409));

        assertThat(conflicts()).isEqualTo(conflictsBefore + 1);
        assertThat(identities.thumbprint(machineId)).isEqualTo(EcJwk.thumbprint(owner.key.getPublic()));
        // The owner still enrolls.
        owner.enrollWith(owner.body(machineId, "NYC", TestAgent.SECRET,
                EnrollmentProof.create(owner.key.getPrivate(), machineId, "NYC", Instant.now().plusSeconds(1))))
                .then().statusCode(200);
    }

    @Test
    void aStolenSecretWithAnotherMachinesCapturedProofGetsNoToken() {
        TestAgent victim = new TestAgent();
        String victimId = SnapshotResourceTest.newMachineId();
        Map<String, Object> captured = victim.body(victimId, "NYC");
        victim.enrollWith(captured).then().statusCode(200);

        // The victim's key and proof, for another machine id: the proof names the victim.
        Map<String, Object> forAnother = new java.util.LinkedHashMap<>(captured);
        String attackerId = SnapshotResourceTest.newMachineId();
        forAnother.put("machineId", attackerId);
        victim.enrollWith(forAnother).then().statusCode(400).body("errors.field", hasItems("/proof"));
        assertThat(identities.thumbprint(attackerId)).isNull();

        // The same request again, replayed as the victim: a proof is used once.
        victim.enrollWith(captured).then().statusCode(400).body("errors.field", hasItems("/proof"))
                .body("detail", containsString("newer"));

        // The attacker's own key for the victim's id: bound to another key.
        TestAgent attacker = new TestAgent();
        attacker.enrollWith(attacker.body(victimId, "NYC")).then().statusCode(409);
        assertThat(identities.thumbprint(victimId)).isEqualTo(EcJwk.thumbprint(victim.key.getPublic()));
    }

    @Test
    void aProofSignedByAnotherKeyIs400() {
        TestAgent agent = new TestAgent();
        TestAgent other = new TestAgent();
        String machineId = SnapshotResourceTest.newMachineId();
        String foreign = EnrollmentProof.create(other.key.getPrivate(), machineId, "NYC", Instant.now());
        agent.enrollWith(agent.body(machineId, "NYC", TestAgent.SECRET, foreign)).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", equalTo(List.of("/proof")));
        assertThat(identities.thumbprint(machineId)).isNull();
    }

    @Test
    void aProofOlderThan5MinutesIs400() {
        TestAgent agent = new TestAgent();
        String machineId = SnapshotResourceTest.newMachineId();
        String old = EnrollmentProof.create(agent.key.getPrivate(), machineId, "NYC",
                Instant.now().minus(Duration.ofMinutes(10)));
        agent.enrollWith(agent.body(machineId, "NYC", TestAgent.SECRET, old)).then().statusCode(400)
                .body("errors.field", equalTo(List.of("/proof")));
        assertThat(identities.thumbprint(machineId)).isNull();
    }

    @Test
    void aPrivateKeyInTheJwkIs400AndNotStored() throws Exception {
        TestAgent agent = new TestAgent();
        String machineId = SnapshotResourceTest.newMachineId();
        Map<String, Object> body = agent.body(machineId, "NYC");
        @SuppressWarnings("unchecked")
        Map<String, Object> jwk = new java.util.LinkedHashMap<>((Map<String, Object>) body.get("publicKey"));
        jwk.put("d", Base64.getUrlEncoder().withoutPadding().encodeToString(
                ((java.security.interfaces.ECPrivateKey) agent.key.getPrivate()).getS().toByteArray()));
        body.put("publicKey", jwk);
        agent.enrollWith(body).then().statusCode(400).body("errors.field", equalTo(List.of("/publicKey")));

        body.put("publicKey", Map.of("kty", "RSA", "n", "AQAB", "e", "AQAB"));
        agent.enrollWith(body).then().statusCode(400).body("errors.field", equalTo(List.of("/publicKey")));
        assertThat(identities.thumbprint(machineId)).isNull();
    }

    @Test
    void aWrongSecretIs401AndBindsNothing() {
        TestAgent agent = new TestAgent();
        String machineId = SnapshotResourceTest.newMachineId();
        Map<String, Object> body = agent.body(machineId, "NYC");
        body.put("enrollSecret", "not-the-secret");
        agent.enrollWith(body).then().statusCode(401).contentType("application/problem+json");
        assertThat(identities.thumbprint(machineId)).isNull();
    }

    @Test
    void anOperatorReleasesABindingAndTheNextEnrollmentBindsAfresh() {
        TestAgent old = new TestAgent();
        TestAgent replacement = new TestAgent();
        String machineId = SnapshotResourceTest.newMachineId();
        old.enroll(machineId, "NYC");
        replacement.enrollWith(replacement.body(machineId, "NYC")).then().statusCode(409);

        given().auth().oauth2(SnapshotResourceTest.VIEWER).delete("/api/v1/agents/{id}/identity", machineId)
                .then().statusCode(403);
        given().auth().oauth2(OPERATOR).delete("/api/v1/agents/{id}/identity", machineId).then().statusCode(204);
        assertThat(identities.thumbprint(machineId)).isNull();
        given().auth().oauth2(OPERATOR).delete("/api/v1/agents/{id}/identity", machineId).then().statusCode(404)
                .contentType("application/problem+json");

        replacement.enrollWith(replacement.body(machineId, "NYC")).then().statusCode(200);
        assertThat(identities.thumbprint(machineId)).isEqualTo(EcJwk.thumbprint(replacement.key.getPublic()));
    }

    @Test
    void aResetIsOnTheAuditTrailWhenItIsAnsweredAndARefusedOneToo() throws Exception {
        String machineId = SnapshotResourceTest.newMachineId();
        new TestAgent().enroll(machineId, "NYC");
        Instant before = Instant.now();

        given().auth().oauth2(OPERATOR).delete("/api/v1/agents/{id}/identity", machineId).then().statusCode(204);
        given().auth().oauth2(OPERATOR).delete("/api/v1/agents/{id}/identity", machineId).then().statusCode(404);

        // Both answers came after Kafka's acknowledgement: the records are on the topic now, no waiting.
        List<ConsumerRecord<String, String>> records = TopicRecords.all(Topics.AUDIT).stream()
                .filter(r -> ("agent/" + machineId).equals(r.key())).toList();
        assertThat(records).hasSize(2);
        List<AuditEvent> events = records.stream().map(r -> read(r.value())).sorted(
                java.util.Comparator.comparing(AuditEvent::at)).toList();
        AuditEvent done = events.get(0);
        assertThat(done.action()).isEqualTo(AuditEvent.Action.AGENT_IDENTITY_RESET);
        assertThat(done.target()).isEqualTo("agent/" + machineId);
        assertThat(done.actor()).isEqualTo("operator");
        assertThat(done.service()).isEqualTo("collector-service");
        assertThat(done.outcome()).isEqualTo(AuditEvent.Outcome.DONE);
        assertThat(done.status()).isEqualTo(204);
        assertThat(done.at()).isAfterOrEqualTo(before);
        AuditEvent refused = events.get(1);
        assertThat(refused.outcome()).isEqualTo(AuditEvent.Outcome.REFUSED);
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.detail()).contains("bound to no key");
        for (int i = 0; i < 2; i++) {
            ConsumerRecord<String, String> record = records.get(i);
            assertThat(header(record, "ce_type")).isEqualTo(Topics.AUDIT_EVENT_TYPE);
            assertThat(header(record, "ce_id")).isEqualTo(read(record.value()).eventId());
        }
        assertThat(done.eventId()).isNotEqualTo(refused.eventId());
    }

    @Test
    void aResetByAnOpenIdConnectUserNamesThemOnTheAuditTrail() {
        String machineId = SnapshotResourceTest.newMachineId();
        new TestAgent().enroll(machineId, "NYC");

        given().auth().oauth2(OidcTestIssuer.token("dana", "viewer")).delete("/api/v1/agents/{id}/identity", machineId)
                .then().statusCode(403);
        assertThat(identities.thumbprint(machineId)).isNotNull();
        given().auth().oauth2(OidcTestIssuer.token("carol", "operator")).delete("/api/v1/agents/{id}/identity", machineId)
                .then().statusCode(204);

        List<AuditEvent> events = TopicRecords.all(Topics.AUDIT).stream()
                .filter(r -> ("agent/" + machineId).equals(r.key())).map(r -> read(r.value())).toList();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("carol");
            assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.DONE);
        });
    }

    @Test
    void aResetOfAnInvalidMachineIdIsRefusedNamingTheFieldAndAudited() {
        String machineId = "bad id " + java.util.UUID.randomUUID();
        given().auth().oauth2(OPERATOR).delete("/api/v1/agents/{id}/identity", machineId).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("/machineId"));

        List<AuditEvent> events = TopicRecords.all(Topics.AUDIT).stream()
                .filter(r -> ("agent/" + machineId).equals(r.key())).map(r -> read(r.value())).toList();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.REFUSED);
            assertThat(e.status()).isEqualTo(400);
        });
    }

    private static AuditEvent read(String json) {
        try {
            return Json.MAPPER.readValue(json, AuditEvent.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void anEnrollmentOver16KiBIs413AndOneOfExactly16KiBIsTaken() throws Exception {
        TestAgent agent = new TestAgent();
        String machineId = SnapshotResourceTest.newMachineId();
        String json = Json.MAPPER.writeValueAsString(agent.body(machineId, "NYC"));
        // JSON allows whitespace after the value: pad to exactly the limit, then one byte more.
        String atLimit = json + " ".repeat(16 * 1024 - json.getBytes(StandardCharsets.UTF_8).length);
        given().contentType(ContentType.JSON).body((atLimit + " ").getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/agents/enroll").then().statusCode(413).contentType("application/problem+json");
        assertThat(identities.thumbprint(machineId)).isNull();
        given().contentType(ContentType.JSON).body(atLimit.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/agents/enroll").then().statusCode(200);
    }

    @Test
    void aSnapshotForAnotherSiteThanTheTokensIs403() throws Exception {
        String machineId = SnapshotResourceTest.newMachineId();
        String token = SnapshotResourceTest.enroll(machineId, "LON");
        ObjectNode snapshot = SnapshotResourceTest.snapshot(Examples.WIN10_CLIENT_DONE, machineId);
        assertThat(snapshot.get("siteCode").asText()).isEqualTo("NYC");
        given().auth().oauth2(token).contentType(ContentType.JSON).body(snapshot.toString())
                .post("/api/v1/snapshots").then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("LON"));
        assertThat(SnapshotResourceTest.recordsOf(machineId)).isEmpty();
    }

    @Test
    void aTokenWithoutASiteIsRefusedForSnapshots() throws Exception {
        String machineId = SnapshotResourceTest.newMachineId();
        String legacy = tokenWithoutSite(machineId);
        given().auth().oauth2(legacy).contentType(ContentType.JSON)
                .body(SnapshotResourceTest.snapshot(Examples.WIN10_CLIENT_DONE, machineId).toString())
                .post("/api/v1/snapshots").then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("enroll again"));
        assertThat(SnapshotResourceTest.recordsOf(machineId)).isEmpty();
    }

    @Test
    void aSnapshotCollectedInTheFutureIs400AndAnImportRejectsTheLine() throws Exception {
        String machineId = SnapshotResourceTest.newMachineId();
        String token = SnapshotResourceTest.enroll(machineId, "NYC");
        ObjectNode future = SnapshotResourceTest.snapshot(Examples.WIN10_CLIENT_DONE, machineId);
        future.put("collectedAt", "2099-01-01T00:00:00Z");
        given().auth().oauth2(token).contentType(ContentType.JSON).body(future.toString())
                .post("/api/v1/snapshots").then().statusCode(400).body("errors.field", equalTo(List.of("/collectedAt")));

        // The operator's import is trusted for sites (another site than NYC is taken), not for the clock.
        String other = SnapshotResourceTest.newMachineId();
        ObjectNode elsewhere = SnapshotResourceTest.snapshot(Examples.WIN10_CLIENT_DONE, other);
        elsewhere.put("siteCode", "LON");
        given().auth().oauth2(OPERATOR).contentType("application/x-ndjson")
                .body((future + "\n" + elsewhere + "\n").getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/snapshots/import").then().statusCode(200)
                .body("accepted", equalTo(1)).body("rejected.line", equalTo(List.of(1)))
                .body("rejected[0].errors.field", equalTo(List.of("/collectedAt")));
        assertThat(SnapshotResourceTest.recordsOf(machineId)).isEmpty();
        assertThat(SnapshotResourceTest.recordsOf(other)).hasSize(1);
    }

    /** An agent token as the collector signed them before tokens named the site. */
    private static String tokenWithoutSite(String machineId) throws Exception {
        KeyPair key = EcKeys.loadOrCreate(Path.of("target/test-keys/agent-token.pem"));
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("tlsrollout-collector");
        claims.setAudience(AgentTokens.AUDIENCE);
        claims.setSubject(machineId);
        claims.setClaim("siteCode", "NYC");
        claims.setIssuedAt(NumericDate.now());
        claims.setExpirationTimeMinutesInTheFuture(60);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivate());
        jws.setKeyIdHeaderValue(EcKeys.kid(key.getPublic()));
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        return jws.getCompactSerialization();
    }

    private static JsonNode claims(String token) throws Exception {
        return Json.MAPPER.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }

    private static double conflicts() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^tlsrollout_enrollment_conflicts_total(?:\\{[^}]*})? (\\S+)$").matcher(metrics);
        assertThat(m.find()).as("tlsrollout_enrollment_conflicts_total in /q/metrics").isTrue();
        return Double.parseDouble(m.group(1));
    }
}
