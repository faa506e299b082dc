package org.tlsrollout.collector.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.tlsrollout.testing.TopicRecords;
import org.tlsrollout.contracts.Examples;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.testing.KafkaTestResource;

/** api.md, collector-service: status codes, problem details, auth, and what reaches Kafka (a real broker). */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
class SnapshotResourceTest {
    static final String OPERATOR = "test-operator-token";
    static final String VIEWER = "test-viewer-token";

    /** Enrolls a new agent (a key of its own) for this machine id; its agent token. */
    static String enroll(String machineId, String siteCode) {
        TestAgent agent = new TestAgent();
        return agent.enrollWith(agent.body(machineId, siteCode)).then().statusCode(200)
                .body("expiresAt", notNullValue()).extract().path("agentToken");
    }

    /** An example snapshot under a machine id of its own, so that tests do not see each other's records. */
    static ObjectNode snapshot(String example, String machineId) throws Exception {
        ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(Examples.json(example));
        doc.put("machineId", machineId);
        return doc;
    }

    static String newMachineId() {
        return "PC-" + UUID.randomUUID();
    }

    static List<ConsumerRecord<String, String>> recordsOf(String machineId) {
        return TopicRecords.all(Topics.SNAPSHOTS).stream().filter(r -> machineId.equals(r.key())).toList();
    }

    @Test
    void aValidSnapshotIsAcceptedOnlyOnceKafkaHasItKeyedByMachineWithIdAndReceivedTime() throws Exception {
        String machineId = newMachineId();
        String token = enroll(machineId, "NYC");

        String snapshotId = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(snapshot(Examples.WIN7_CLIENT_BEFORE, machineId).toString())
                .when().post("/api/v1/snapshots")
                .then().statusCode(202).extract().path("snapshotId");

        // 202 came after the acknowledgement: the record is on the topic now, no waiting.
        List<ConsumerRecord<String, String>> records = recordsOf(machineId);
        assertThat(records).hasSize(1);
        JsonNode value = Json.MAPPER.readTree(records.get(0).value());
        assertThat(value.get("snapshotId").asText()).isEqualTo(snapshotId);
        assertThat(value.get("receivedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(value.get("os").get("version").asText()).isEqualTo("6.1.7601");
        assertThat(header(records.get(0), "ce_id")).isEqualTo(snapshotId);
        assertThat(header(records.get(0), "ce_type")).isEqualTo(Topics.SNAPSHOT_EVENT_TYPE);
        assertThat(header(records.get(0), "ce_specversion")).isEqualTo("1.0");
    }

    @Test
    void anInvalidSnapshotIsRefusedNamingEveryFieldAndNeverReachesKafka() throws Exception {
        String machineId = newMachineId();
        String token = enroll(machineId, "NYC");
        ObjectNode doc = snapshot(Examples.WIN10_CLIENT_DONE, machineId);
        ((ObjectNode) doc.get("os")).put("architecture", "arm64");
        doc.put("collectedAt", "last tuesday");
        doc.remove("siteCode");

        given().auth().oauth2(token).contentType(ContentType.JSON).body(doc.toString())
                .when().post("/api/v1/snapshots")
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", hasItems("/os/architecture", "/collectedAt", "/siteCode"));

        assertThat(recordsOf(machineId)).isEmpty();
    }

    @Test
    void notJsonIsA400NotA500() {
        String machineId = newMachineId();
        given().auth().oauth2(enroll(machineId, "NYC")).contentType(ContentType.JSON).body("{\"machineId\": ")
                .when().post("/api/v1/snapshots")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].message", containsString("not a JSON document"));
    }

    @Test
    void aSnapshotOfAnotherMachineIsForbidden() throws Exception {
        String token = enroll(newMachineId(), "NYC");
        String other = newMachineId();

        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(snapshot(Examples.WIN10_CLIENT_DONE, other).toString())
                .when().post("/api/v1/snapshots")
                .then().statusCode(403).contentType("application/problem+json");

        assertThat(recordsOf(other)).isEmpty();
    }

    @Test
    void withoutAValidAgentTokenTheAnswerIs401AndOperatorsAreNotAgents() throws Exception {
        String body = snapshot(Examples.WIN10_CLIENT_DONE, newMachineId()).toString();
        given().contentType(ContentType.JSON).body(body).when().post("/api/v1/snapshots")
                .then().statusCode(401).header("WWW-Authenticate", "Bearer").contentType("application/problem+json");
        given().auth().oauth2("not-a-token").contentType(ContentType.JSON).body(body).when().post("/api/v1/snapshots")
                .then().statusCode(401);
        given().auth().oauth2("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.").contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/snapshots").then().statusCode(401);
        given().auth().oauth2(OPERATOR).contentType(ContentType.JSON).body(body).when().post("/api/v1/snapshots")
                .then().statusCode(403);
    }

    @Test
    void aBodyOver256KiBIsRefusedWith413() {
        String machineId = newMachineId();
        String huge = "{\"machineId\":\"" + machineId + "\",\"hostname\":\"" + "x".repeat(300 * 1024) + "\"}";
        given().auth().oauth2(enroll(machineId, "NYC")).contentType(ContentType.JSON).body(huge)
                .when().post("/api/v1/snapshots")
                .then().statusCode(413).contentType("application/problem+json");
        assertThat(recordsOf(machineId)).isEmpty();
    }

    @Test
    void enrollmentChecksTheIdsAndTheSecret() {
        TestAgent agent = new TestAgent();
        String machineId = newMachineId();
        agent.enrollWith(agent.body(machineId, "NYC", "wrong", agent.body(machineId, "NYC").get("proof").toString()))
                .then().statusCode(401).contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body(Map.of("machineId", "-bad id-", "siteCode", "nyc1", "enrollSecret", "test-enroll-secret"))
                .when().post("/api/v1/agents/enroll")
                .then().statusCode(400)
                .body("errors.field", hasItems("/machineId", "/siteCode", "/publicKey", "/proof"));
    }

    @Test
    void theJwksPublishesTheKeyThatSignsAgentTokens() throws Exception {
        String token = enroll(newMachineId(), "LON");
        String header = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8);
        String kid = Json.MAPPER.readTree(header).get("kid").asText();

        given().when().get("/.well-known/jwks.json")
                .then().statusCode(200).body("keys.kid", hasItems(kid)).body("keys[0].crv", equalTo("P-256"));
    }

    @Test
    void anImportPublishesTheValidLinesAndListsTheInvalidOnesByLineNumber() throws Exception {
        String first = newMachineId();
        String second = newMachineId();
        ObjectNode bad = snapshot(Examples.WIN7_CLIENT_BEFORE, newMachineId());
        bad.put("schemaVersion", 2);
        String ndjson = snapshot(Examples.WIN7_CLIENT_BEFORE, first) + "\n" + bad + "\n\n"
                + snapshot(Examples.SERVER2012R2_PRIMARY_SITE, second) + "\nnot json\n";

        given().auth().oauth2(OPERATOR).contentType("application/x-ndjson").body(ndjson.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/snapshots/import")
                .then().statusCode(200)
                .body("accepted", equalTo(2))
                .body("rejected.line", equalTo(List.of(2, 5)))
                .body("rejected[0].errors.field", hasItems("/schemaVersion"));

        assertThat(recordsOf(first)).hasSize(1);
        assertThat(recordsOf(second)).hasSize(1);
    }

    @Test
    void onlyOperatorsImport() {
        given().auth().oauth2(VIEWER).contentType("application/x-ndjson").body("{}\n".getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/snapshots/import").then().statusCode(403);
        given().auth().oauth2(enroll(newMachineId(), "NYC")).contentType("application/x-ndjson").body("{}\n".getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/snapshots/import").then().statusCode(403);
        given().contentType("application/x-ndjson").body("{}\n".getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/snapshots/import").then().statusCode(401);
    }

    @Test
    void countsSnapshotsByOutcome() throws Exception {
        String machineId = newMachineId();
        String token = enroll(machineId, "NYC");
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(snapshot(Examples.WIN10_CLIENT_DONE, machineId).toString())
                .when().post("/api/v1/snapshots").then().statusCode(202);
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"machineId\":\"" + machineId + "\"}")
                .when().post("/api/v1/snapshots").then().statusCode(400);

        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("tlsrollout_snapshots_received_total\\{[^}]*outcome=\"accepted\"[^}]*} [1-9]")
                .containsPattern("tlsrollout_snapshots_received_total\\{[^}]*outcome=\"rejected\"[^}]*} [1-9]");
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
