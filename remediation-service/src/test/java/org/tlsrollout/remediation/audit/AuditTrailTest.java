package org.tlsrollout.remediation.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrollout.remediation.TestEstate.OPERATOR_TOKEN;
import static org.tlsrollout.remediation.TestEstate.eventually;
import static org.tlsrollout.remediation.TestEstate.VIEWER_TOKEN;
import static org.tlsrollout.remediation.TestEstate.newMachineId;
import static org.tlsrollout.remediation.TestEstate.newSite;
import static org.tlsrollout.remediation.TestRollout.createWave;
import static org.tlsrollout.remediation.TestRollout.postWave;
import static org.tlsrollout.remediation.TestRollout.waveAction;
import static org.tlsrollout.remediation.TestRollout.waveRequest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.AuditEvent;
import org.tlsrollout.contracts.CloudEvents;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.testing.KafkaTestResource;
import org.tlsrollout.testing.PostgresTestResource;
import org.tlsrollout.testing.TopicRecords;
import org.tlsrollout.remediation.TestEstate;
import org.tlsrollout.remediation.TestRollout;

/**
 * The audit trail (issue 18): every operator action, done or refused, with who, what, on what and the answer's status,
 * in GET /api/v1/audit and on topic tlsrollout.audit.v1; other services' events from the topic listed too; idempotent
 * repeats and dry runs add nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class AuditTrailTest {

    private static List<Map<String, Object>> audit(Map<String, ?> query) {
        return RestAssured.given().auth().oauth2(VIEWER_TOKEN).queryParams(query).get("/api/v1/audit")
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    private static List<Map<String, Object>> auditOf(String target) {
        return audit(Map.of("target", target));
    }

    private static int total(Map<String, ?> query) {
        return Integer.parseInt(RestAssured.given().auth().oauth2(VIEWER_TOKEN).queryParams(query)
                .queryParam("size", 1).get("/api/v1/audit").then().statusCode(200).extract().header("X-Total-Count"));
    }

    /** The entries of {@code target}, oldest first, as "ACTION OUTCOME status". */
    private static List<String> summary(String target) {
        List<Map<String, Object>> entries = new java.util.ArrayList<>(auditOf(target));
        java.util.Collections.reverse(entries);
        return entries.stream()
                .map(e -> e.get("action") + " " + e.get("outcome") + " " + e.get("status"))
                .toList();
    }

    @Test
    void everyWaveActionIsAuditedWithItsActorAndOutcome() {
        String site = newSite();
        // Machines to fix, so that the wave runs (one with nothing to target completes at once).
        TestRollout.seedClientsToFix("aud", site, 2);
        String id = createWave(waveRequest(Phase.CLIENTS, site, 0.1));
        waveAction(id, "pause").then().statusCode(200);
        waveAction(id, "resume").then().statusCode(200);
        waveAction(id, "cancel").then().statusCode(200);
        waveAction(id, "pause").then().statusCode(409);
        String rollback = waveAction(id, "rollback").then().statusCode(201).extract().path("id");

        assertThat(summary("wave/" + id)).containsExactly("WAVE_CREATE DONE 201", "WAVE_PAUSE DONE 200",
                "WAVE_RESUME DONE 200", "WAVE_CANCEL DONE 200", "WAVE_PAUSE REFUSED 409", "WAVE_ROLLBACK DONE 201");
        List<Map<String, Object>> entries = auditOf("wave/" + id);
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.get("actor")).isEqualTo("operator");
            assertThat(e.get("service")).isEqualTo("remediation-service");
        });
        assertThat((String) entries.get(0).get("detail")).contains(rollback);
        assertThat((String) entries.get(1).get("detail")).contains("CANCELLED", "cannot be paused");
        // The rollback wave's own creation is its WAVE_ROLLBACK on the original, not a second WAVE_CREATE.
        assertThat(auditOf("wave/" + rollback)).isEmpty();
    }

    @Test
    void aRefusedCreationIsAuditedAsRefusedWithTheFieldsAndADryRunIsNot() {
        String site = newSite();
        String name = "refused " + UUID.randomUUID();
        Map<String, Object> invalid = waveRequest(Phase.CLIENTS, site, 2.0, "name", name);
        postWave(invalid).then().statusCode(400);
        eventually().until(() -> audit(Map.of("target", "wave", "action", "WAVE_CREATE")).stream()
                .anyMatch(e -> String.valueOf(e.get("detail")).contains("/maxFailureRate")));
        Map<String, Object> refused = audit(Map.of("target", "wave", "action", "WAVE_CREATE")).get(0);
        assertThat(refused).containsEntry("outcome", "REFUSED").containsEntry("status", 400)
                .containsEntry("actor", "operator");

        Map<String, String> creations = Map.of("action", "WAVE_CREATE");
        int before = total(creations);
        postWave(waveRequest(Phase.CLIENTS, site, 0.1, "dryRun", true)).then().statusCode(200);
        postWave(waveRequest(Phase.CLIENTS, site, 2.0, "dryRun", true)).then().statusCode(400);
        assertThat(total(creations)).isEqualTo(before);
    }

    @Test
    void aRepeatWithTheSameIdempotencyKeyAddsNothing() {
        Map<String, Object> body = waveRequest(Phase.CLIENTS, newSite(), 0.1);
        String key = "audit-" + UUID.randomUUID();
        String id = RestAssured.given().auth().oauth2(OPERATOR_TOKEN).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(body).post("/api/v1/waves").then().statusCode(201)
                .extract().path("id");
        RestAssured.given().auth().oauth2(OPERATOR_TOKEN).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(body).post("/api/v1/waves").then().statusCode(200);
        assertThat(summary("wave/" + id)).containsExactly("WAVE_CREATE DONE 201");
    }

    @Test
    void inventoryImportRetireAndUnretireAreAuditedAndAnUnknownMachineIsRefused() {
        String machineId = newMachineId("aud");
        RestAssured.given().auth().oauth2(OPERATOR_TOKEN).contentType("text/csv")
                .body("machineId,siteCode,roles,osVersion,lastSeenAt\n" + machineId + "," + newSite() + ",,10.0.19045,\n")
                .post("/api/v1/inventory").then().statusCode(200);
        RestAssured.given().auth().oauth2(OPERATOR_TOKEN).post("/api/v1/machines/" + machineId + "/retire")
                .then().statusCode(200);
        RestAssured.given().auth().oauth2(OPERATOR_TOKEN).post("/api/v1/machines/" + machineId + "/unretire")
                .then().statusCode(200);
        String unknown = newMachineId("nobody");
        RestAssured.given().auth().oauth2(OPERATOR_TOKEN).post("/api/v1/machines/" + unknown + "/retire")
                .then().statusCode(404);
        // A viewer is authenticated but not allowed: refused too, in its name.
        RestAssured.given().auth().oauth2(VIEWER_TOKEN).post("/api/v1/machines/" + machineId + "/retire")
                .then().statusCode(403);

        // A refusal decided before the resource ran (the role check) may be written just after the answer.
        eventually().untilAsserted(() -> assertThat(summary("machine/" + machineId)).containsExactly(
                "MACHINE_RETIRE DONE 200", "MACHINE_UNRETIRE DONE 200", "MACHINE_RETIRE REFUSED 403"));
        assertThat(auditOf("machine/" + machineId).get(0)).containsEntry("actor", "viewer");
        assertThat(summary("machine/" + unknown)).containsExactly("MACHINE_RETIRE REFUSED 404");
        Map<String, Object> imported = audit(Map.of("action", "INVENTORY_IMPORT", "size", "1")).get(0);
        assertThat(imported).containsEntry("target", "inventory").containsEntry("outcome", "DONE")
                .containsEntry("actor", "operator");
        assertThat((String) imported.get("detail")).contains("1 line(s), 1 added");
    }

    @Test
    void theServicesOwnEventsArePublishedKeyedByTarget() {
        String id = createWave(waveRequest(Phase.CLIENTS, newSite(), 0.1));
        String eventId = (String) auditOf("wave/" + id).get(0).get("eventId");
        eventually().pollInterval(Duration.ofMillis(200)).until(() -> TopicRecords.all(Topics.AUDIT)
                .stream().anyMatch(r -> eventId.equals(TestEstate.header(r, "ce_id"))));
        ConsumerRecord<String, String> published = TopicRecords.all(Topics.AUDIT).stream()
                .filter(r -> eventId.equals(TestEstate.header(r, "ce_id"))).findFirst().orElseThrow();
        assertThat(published.key()).isEqualTo("wave/" + id);
        assertThat(TestEstate.header(published, "ce_type")).isEqualTo(Topics.AUDIT_EVENT_TYPE);
        assertThat(published.value()).contains("\"WAVE_CREATE\"", "\"operator\"");
        // Consumed back, it is not listed twice.
        assertThat(auditOf("wave/" + id)).hasSize(1);
    }

    @Test
    void anotherServicesEventFromTheTopicIsListedAndARecordOfAnotherTypeIsDeadLettered() throws Exception {
        String agent = "agent/" + newMachineId("reset");
        AuditEvent reset = new AuditEvent(UUID.randomUUID().toString(), Instant.now().truncatedTo(ChronoUnit.MILLIS),
                "alice", "collector-service", AuditEvent.Action.AGENT_IDENTITY_RESET, agent, AuditEvent.Outcome.DONE,
                200, "identity reset");
        TestEstate.send(List.of(record(reset.eventId(), Topics.AUDIT_EVENT_TYPE, agent,
                Json.MAPPER.writeValueAsString(reset))));
        String strangerId = UUID.randomUUID().toString();
        TestEstate.send(List.of(record(strangerId, Topics.EVALUATION_EVENT_TYPE, agent, "{}")));

        eventually().pollInterval(Duration.ofMillis(200)).until(() -> !auditOf(agent).isEmpty());
        Map<String, Object> listed = auditOf(agent).get(0);
        assertThat(listed).containsEntry("eventId", reset.eventId()).containsEntry("actor", "alice")
                .containsEntry("service", "collector-service").containsEntry("action", "AGENT_IDENTITY_RESET")
                .containsEntry("outcome", "DONE").containsEntry("status", 200);
        assertThat(Instant.parse((String) listed.get("at"))).isEqualTo(reset.at());
        eventually().pollInterval(Duration.ofMillis(200)).until(() -> TopicRecords.all(Topics.dlq(Topics.AUDIT))
                .stream().anyMatch(r -> strangerId.equals(TestEstate.header(r, "ce_id"))));
        assertThat(auditOf(agent)).hasSize(1);
    }

    @Test
    void filtersAndPagingAndBadParameters() {
        String site = newSite();
        String first = createWave(waveRequest(Phase.CLIENTS, site, 0.1));
        Instant between = Instant.now();
        String second = createWave(waveRequest(Phase.CLIENTS, site, 0.1));

        List<Map<String, Object>> since = audit(Map.of("since", between.toString(), "action", "WAVE_CREATE"));
        assertThat(since).extracting(e -> e.get("target")).contains("wave/" + second).doesNotContain("wave/" + first);
        List<Map<String, Object>> until = audit(Map.of("until", between.toString(), "action", "WAVE_CREATE"));
        assertThat(until).extracting(e -> e.get("target")).contains("wave/" + first).doesNotContain("wave/" + second);

        var paged = RestAssured.given().auth().oauth2(VIEWER_TOKEN).queryParam("actor", "operator")
                .queryParam("page", 0).queryParam("size", 1).get("/api/v1/audit").then().statusCode(200).extract();
        assertThat(paged.jsonPath().getList("$")).hasSize(1);
        assertThat(Long.parseLong(paged.header("X-Total-Count"))).isGreaterThanOrEqualTo(2);
        // Newest first.
        assertThat(audit(Map.of("action", "WAVE_CREATE", "size", "1")).get(0)).containsEntry("target", "wave/" + second);

        JsonPath bad = RestAssured.given().auth().oauth2(VIEWER_TOKEN).queryParam("since", "yesterday")
                .queryParam("until", "2026-13-01T00:00:00Z").queryParam("action", "DELETE_EVERYTHING")
                .get("/api/v1/audit").then().statusCode(400).extract().jsonPath();
        assertThat(bad.getList("errors.field", String.class)).containsExactlyInAnyOrder("since", "until", "action");
        RestAssured.given().get("/api/v1/audit").then().statusCode(401);
    }

    private static ProducerRecord<String, String> record(String eventId, String type, String key, String value) {
        RecordHeaders headers = new RecordHeaders();
        CloudEvents.binaryHeaders(eventId, type, "urn:tlsrollout:collector-service", key, Instant.now(), headers::add);
        return new ProducerRecord<>(Topics.AUDIT, null, key, value, headers);
    }
}
