package org.tlsrollout.remediation.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrollout.remediation.TestEstate.OPERATOR_TOKEN;
import static org.tlsrollout.remediation.TestEstate.VIEWER_TOKEN;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.testing.KafkaTestResource;
import org.tlsrollout.testing.PostgresTestResource;
import org.tlsrollout.remediation.TestEstate;
import org.tlsrollout.remediation.TestRollout;

/**
 * Issue 17's done-means, black box over the public API: six machines posted as inventory at a new site, three report
 * remediated evaluations; the DISABLE_LEGACY dry run shows the gate closed by the three others, never reported, and
 * creating the wave is refused (409) naming them; once they are retired the gate opens; the CSV export lists all six;
 * two POSTs with one Idempotency-Key make one wave.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class EstateDoneTest {

    @Test
    void sixFromInventoryThreeReportTheOthersBlockUntilRetiredAndOneKeyMakesOneWave() {
        String site = TestEstate.newSite();
        List<String> ids = new ArrayList<>();
        StringBuilder csv = new StringBuilder("machineId,siteCode,roles,osVersion,lastSeenAt\n");
        for (int i = 0; i < 6; i++) {
            String id = TestEstate.newMachineId("done" + i);
            ids.add(id);
            csv.append(id).append(',').append(site).append(",,10.0.19045,2026-12-01T08:00:00Z\n");
        }
        JsonPath imported = RestAssured.given().auth().oauth2(OPERATOR_TOKEN).contentType("text/csv")
                .body(csv.toString().getBytes(StandardCharsets.UTF_8)).post("/api/v1/inventory")
                .then().statusCode(200).extract().jsonPath();
        assertThat(imported.getLong("added")).isEqualTo(6);

        List<EvaluationEvent> reported = new ArrayList<>();
        for (String id : ids.subList(0, 3)) {
            reported.add(TestRollout.evaluation(id, site, TestEstate.now(), "10.0.19045", List.of(Role.CLIENT),
                    TestEstate.now().minus(Duration.ofDays(1)),
                    TestEstate.phases(PhaseState.COMPLIANT, PhaseState.NOT_APPLICABLE, PhaseState.COMPLIANT,
                            PhaseState.NOT_APPLICABLE), List.of()));
        }
        TestEstate.send(reported.toArray(EvaluationEvent[]::new));
        TestEstate.awaitMachines(reported.toArray(EvaluationEvent[]::new));
        List<String> silent = ids.subList(3, 6);

        Map<String, Object> request = TestRollout.waveRequest(Phase.DISABLE_LEGACY, site, 0.1);
        Map<String, Object> dryRun = new java.util.LinkedHashMap<>(request);
        dryRun.put("dryRun", true);
        JsonPath plan = TestRollout.postWave(dryRun).then().statusCode(200).extract().jsonPath();
        assertThat(plan.getBoolean("gate.open")).isFalse();
        assertThat(plan.getInt("gate.blocking.neverReported")).isEqualTo(3);
        assertThat(plan.getList("gate.machines", String.class)).containsExactlyInAnyOrderElementsOf(silent);
        JsonPath refused = TestRollout.postWave(request).then().statusCode(409)
                .contentType("application/problem+json").extract().jsonPath();
        assertThat(refused.getInt("blocking.neverReported")).isEqualTo(3);
        assertThat(refused.getList("machines", String.class)).containsExactlyInAnyOrderElementsOf(silent);
        assertThat(refused.getString("detail")).contains("never reported");

        for (String id : silent) {
            RestAssured.given().auth().oauth2(OPERATOR_TOKEN).post("/api/v1/machines/" + id + "/retire")
                    .then().statusCode(200);
        }
        assertThat(TestRollout.postWave(dryRun).then().statusCode(200).extract().jsonPath().getBoolean("gate.open"))
                .isTrue();

        String export = RestAssured.given().auth().oauth2(VIEWER_TOKEN).accept("text/csv").queryParam("site", site)
                .get("/api/v1/machines").then().statusCode(200).extract().asString();
        String[] lines = export.split("\r\n");
        assertThat(lines).hasSize(7);
        for (String id : ids) {
            assertThat(export).contains(id + "," + site + ",");
        }
        for (String id : silent) {
            assertThat(export).contains(id + "," + site + ",client,,true,true,");
        }

        String key = "done-" + UUID.randomUUID();
        Response first = post(request, key);
        first.then().statusCode(201);
        String waveId = first.path("id");
        Response second = post(request, key);
        second.then().statusCode(200);
        assertThat((String) second.path("id")).isEqualTo(waveId);
        List<Map<String, Object>> waves = RestAssured.given().auth().oauth2(VIEWER_TOKEN).get("/api/v1/waves")
                .jsonPath().getList("findAll { it.sites.contains('" + site + "') }");
        assertThat(waves).hasSize(1);
        // The same key with another body.
        Map<String, Object> other = new java.util.LinkedHashMap<>(request);
        other.put("maxFailureRate", 0.2);
        post(other, key).then().statusCode(422).contentType("application/problem+json");
        RestAssured.given().auth().oauth2(OPERATOR_TOKEN).contentType(ContentType.JSON).header("Idempotency-Key", "k".repeat(129))
                .body(request).post("/api/v1/waves").then().statusCode(400);
    }

    @Test
    void wavesAreFilteredByStateAndPaged() {
        String site = TestEstate.newSite();
        TestRollout.seedClientsToFix("pg", site, 1);
        String id = TestRollout.createWave(TestRollout.waveRequest(Phase.CLIENTS, site, 0.5));
        TestRollout.waveAction(id, "cancel").then().statusCode(200);
        Response cancelled = RestAssured.given().auth().oauth2(VIEWER_TOKEN).queryParam("state", "CANCELLED")
                .queryParam("page", 0).queryParam("size", 1).get("/api/v1/waves");
        cancelled.then().statusCode(200);
        assertThat(cancelled.jsonPath().getList("state", String.class)).containsExactly("CANCELLED");
        assertThat(Long.parseLong(cancelled.header("X-Total-Count"))).isPositive();
        assertThat(RestAssured.given().auth().oauth2(VIEWER_TOKEN).queryParam("state", "RUNNING").get("/api/v1/waves")
                .jsonPath().getList("id", String.class)).doesNotContain(id);
        RestAssured.given().auth().oauth2(VIEWER_TOKEN).queryParam("state", "NOPE").get("/api/v1/waves")
                .then().statusCode(400).contentType("application/problem+json");
        RestAssured.given().auth().oauth2(VIEWER_TOKEN).queryParam("page", 1).get("/api/v1/waves")
                .then().statusCode(400);
    }

    private static Response post(Map<String, Object> body, String key) {
        return RestAssured.given().auth().oauth2(OPERATOR_TOKEN).contentType(ContentType.JSON)
                .header("Idempotency-Key", key).body(body).post("/api/v1/waves");
    }
}
