package org.tlsrollout.remediation.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrollout.remediation.TestEstate.OPERATOR_TOKEN;
import static org.tlsrollout.remediation.TestEstate.VIEWER_TOKEN;
import static org.tlsrollout.remediation.TestEstate.get;
import static org.tlsrollout.remediation.TestEstate.newMachineId;
import static org.tlsrollout.remediation.TestEstate.newSite;
import static org.tlsrollout.remediation.TestEstate.now;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.testing.KafkaTestResource;
import org.tlsrollout.testing.PostgresTestResource;
import org.tlsrollout.remediation.TestEstate;
import org.tlsrollout.remediation.TestRollout;
import org.tlsrollout.remediation.metrics.RolloutMetrics;

/**
 * The expected estate (api.md): POST /api/v1/inventory (CSV and NDJSON), never-reported machines in the machine view,
 * the list, progress and the metrics; retirement and the ways back; the CSV export.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class InventoryTest {
    static final String HEADER = "machineId,siteCode,roles,osVersion,lastSeenAt\n";

    @Inject
    RolloutMetrics metrics;

    static Response post(String contentType, String body) {
        return RestAssured.given().auth().oauth2(OPERATOR_TOKEN).contentType(contentType)
                .body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/inventory");
    }

    static JsonPath importCsv(String body) {
        return post("text/csv", body).then().statusCode(200).extract().jsonPath();
    }

    static Response retire(String machineId) {
        return RestAssured.given().auth().oauth2(OPERATOR_TOKEN).post("/api/v1/machines/" + machineId + "/retire");
    }

    /** The CSV that configmgr/'s query and script write (configmgr/examples/inventory.csv, their one example). */
    @Test
    void theConfigMgrExportImportsWhole() throws java.io.IOException {
        String csv = java.nio.file.Files.readString(java.nio.file.Path.of("..", "configmgr", "examples", "inventory.csv"));
        long lines = csv.lines().skip(1).filter(l -> !l.isBlank()).count();
        JsonPath result = importCsv(csv);
        assertThat(result.getLong("received")).isEqualTo(lines);
        assertThat(result.getList("rejected")).isEmpty();
        assertThat(result.getLong("added") + result.getLong("updated") + result.getLong("unchanged")).isEqualTo(lines);
        // A site database server with neither OS version nor last activity, and a client with roles left empty.
        JsonPath database = get("/api/v1/machines/p01-cmdb01.corp.example").then().statusCode(200).extract().jsonPath();
        assertThat(database.getBoolean("neverReported")).isTrue();
        assertThat(database.getString("machineClass")).isEqualTo("site-system");
        assertThat(database.getMap("phases")).containsEntry("SITE_SYSTEMS", "UNKNOWN").containsEntry("DISABLE_LEGACY", "UNKNOWN");
        JsonPath client = get("/api/v1/machines/p01-ws000003.corp.example").then().statusCode(200).extract().jsonPath();
        assertThat(client.getString("machineClass")).isEqualTo("client");
        assertThat(client.getMap("phases")).containsEntry("CLIENTS", "UNKNOWN").containsEntry("SITE_SYSTEMS", "NOT_APPLICABLE");
    }

    @Test
    void csvLinesAreStoredNeverReportedAndTheBadOnesRejectedByLine() {
        String site = newSite();
        String client = newMachineId("inv-pc");
        String mp = newMachineId("inv-mp");
        String quoted = newMachineId("inv-q");
        JsonPath result = importCsv(HEADER
                + client + "," + site + ",,10.0.19045,2026-12-01T08:00:00Z\n"
                + mp + "," + site + ",MANAGEMENT_POINT;DISTRIBUTION_POINT,10.0.20348,\n"
                + "\"" + quoted + "\",\"" + site + "\",\"CLIENT\",\"\",\"\"\r\n"
                + "not an id!," + site + ",,,\n"
                + newMachineId("inv-bad") + "," + site + ",TOASTER,6.1,yesterday\n"
                + "\n");
        assertThat(result.getLong("received")).isEqualTo(5);
        assertThat(result.getLong("added")).isEqualTo(3);
        assertThat(result.getLong("updated")).isZero();
        assertThat(result.getLong("unchanged")).isZero();
        assertThat(result.getList("rejected.line", Integer.class)).containsExactly(5, 6);
        assertThat(result.getList("rejected[0].errors.field", String.class)).containsExactly("machineId");
        assertThat(result.getList("rejected[1].errors.field", String.class)).containsExactly("roles", "lastSeenAt");

        JsonPath pc = get("/api/v1/machines/" + client).then().statusCode(200).extract().jsonPath();
        assertThat(pc.getBoolean("neverReported")).isTrue();
        assertThat(pc.getBoolean("retired")).isFalse();
        assertThat(pc.getString("lastSnapshotAt")).isNull();
        assertThat(pc.getString("machineClass")).isEqualTo("client");
        assertThat(pc.getMap("phases")).containsExactlyInAnyOrderEntriesOf(Map.of("CLIENTS", "UNKNOWN",
                "SITE_SYSTEMS", "NOT_APPLICABLE", "VERIFY", "UNKNOWN", "DISABLE_LEGACY", "NOT_APPLICABLE"));
        JsonPath siteSystem = get("/api/v1/machines/" + mp).jsonPath();
        assertThat(siteSystem.getString("machineClass")).isEqualTo("site-system");
        assertThat(siteSystem.getMap("phases")).containsExactlyInAnyOrderEntriesOf(Map.of("CLIENTS", "NOT_APPLICABLE",
                "SITE_SYSTEMS", "UNKNOWN", "VERIFY", "UNKNOWN", "DISABLE_LEGACY", "UNKNOWN"));
        get("/api/v1/machines/" + quoted).then().statusCode(200);

        // The same again: nothing changes; one OS version changed: one update.
        JsonPath again = importCsv(HEADER + client + "," + site + ",,10.0.19045,\n" + mp + "," + site
                + ",MANAGEMENT_POINT;DISTRIBUTION_POINT,10.0.20348,\n");
        assertThat(again.getLong("unchanged")).isEqualTo(2);
        assertThat(again.getLong("added") + again.getLong("updated")).isZero();
        assertThat(importCsv(HEADER + client + "," + site + ",,10.0.22631,\n").getLong("updated")).isEqualTo(1);

        // Counted in progress and in the gauge.
        JsonPath progress = get("/api/v1/progress").jsonPath();
        Map<String, Object> ofSite = progress.getMap("sites.find { it.siteCode == '" + site + "' }");
        assertThat(((Number) ofSite.get("machines")).longValue()).isEqualTo(3);
        assertThat(((Number) ofSite.get("neverReported")).longValue()).isEqualTo(3);
        assertThat(progress.getInt("sites.find { it.siteCode == '" + site + "' }.phases.VERIFY.UNKNOWN")).isEqualTo(3);
        metrics.refresh();
        assertThat(RestAssured.get("/q/metrics").asString())
                .contains("tlsrollout_machines_never_reported{site=\"" + site + "\"} 3.0");

        // Filters.
        assertThat(RestAssured.given().auth().oauth2(VIEWER_TOKEN).queryParam("site", site)
                .queryParam("neverReported", "true").get("/api/v1/machines").jsonPath().getList("items.machineId"))
                .containsExactlyInAnyOrder(client, mp, quoted);
        assertThat(RestAssured.given().auth().oauth2(VIEWER_TOKEN).queryParam("site", site)
                .queryParam("neverReported", "false").get("/api/v1/machines").jsonPath().getList("items")).isEmpty();
        RestAssured.given().auth().oauth2(VIEWER_TOKEN).queryParam("neverReported", "maybe").get("/api/v1/machines")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void aSnapshotReplacesTheInventoryRowAndInventoryNeverOverwritesWhatItReported() {
        String site = newSite();
        String id = newMachineId("inv-rep");
        importCsv(HEADER + id + "," + site + ",,6.1.7601,\n");
        EvaluationEvent reported = TestRollout.evaluation(id, site, now(), "10.0.19045",
                List.of(Role.CLIENT, Role.DISTRIBUTION_POINT), now().minus(Duration.ofDays(1)),
                TestEstate.allPhases(PhaseState.COMPLIANT), List.of());
        TestEstate.send(reported);
        TestEstate.awaitMachines(reported);
        JsonPath shown = get("/api/v1/machines/" + id).jsonPath();
        assertThat(shown.getBoolean("neverReported")).isFalse();
        assertThat(shown.getString("machineClass")).isEqualTo("site-system");

        JsonPath result = importCsv(HEADER + id + ",ZZZ,,6.1.7601,\n");
        assertThat(result.getLong("unchanged")).isEqualTo(1);
        JsonPath after = get("/api/v1/machines/" + id).jsonPath();
        assertThat(after.getString("siteCode")).isEqualTo(site);
        assertThat(after.getString("machineClass")).isEqualTo("site-system");
        assertThat(after.getMap("phases")).isEqualTo(shown.getMap("phases"));
    }

    @Test
    void aRetiredMachineCountsNowhereUntilALaterInventoryLineOrSnapshotBringsItBack() {
        String site = newSite();
        String gone = newMachineId("inv-gone");
        String stays = newMachineId("inv-stays");
        importCsv(HEADER + gone + "," + site + ",,,\n" + stays + "," + site + ",,,\n");

        retire("no-such-machine").then().statusCode(404).contentType("application/problem+json");
        RestAssured.given().auth().oauth2(VIEWER_TOKEN).post("/api/v1/machines/" + gone + "/retire")
                .then().statusCode(403);
        JsonPath retired = retire(gone).then().statusCode(200).extract().jsonPath();
        assertThat(retired.getBoolean("retired")).isTrue();
        assertThat(retired.getString("machineId")).isEqualTo(gone);

        assertThat(listed(site, null)).containsExactlyInAnyOrder(stays, gone);
        assertThat(listed(site, "false")).containsExactly(stays);
        assertThat(listed(site, "true")).containsExactly(gone);
        Map<String, Object> ofSite = get("/api/v1/progress").jsonPath()
                .getMap("sites.find { it.siteCode == '" + site + "' }");
        assertThat(((Number) ofSite.get("machines")).longValue()).isEqualTo(1);
        metrics.refresh();
        assertThat(RestAssured.get("/q/metrics").asString())
                .contains("tlsrollout_machines_never_reported{site=\"" + site + "\"} 1.0");

        // A line seen before the retirement changes nothing; one seen after brings it back.
        Instant retiredAt = Instant.now();
        assertThat(importCsv(HEADER + gone + "," + site + ",,," + retiredAt.minus(Duration.ofDays(1)) + "\n")
                .getLong("unchanged")).isEqualTo(1);
        assertThat(get("/api/v1/machines/" + gone).jsonPath().getBoolean("retired")).isTrue();
        assertThat(importCsv(HEADER + gone + "," + site + ",,," + retiredAt.plus(Duration.ofMinutes(1)) + "\n")
                .getLong("updated")).isEqualTo(1);
        assertThat(get("/api/v1/machines/" + gone).jsonPath().getBoolean("retired")).isFalse();

        // Retired again, then a snapshot collected after it brings it back too.
        retire(gone).then().statusCode(200);
        EvaluationEvent back = TestRollout.evaluation(gone, site, now().plusSeconds(1), "10.0.19045",
                List.of(Role.CLIENT), now().minus(Duration.ofDays(1)), TestEstate.allPhases(PhaseState.COMPLIANT),
                List.of());
        TestEstate.send(back);
        TestEstate.awaitMachines(back);
        assertThat(get("/api/v1/machines/" + gone).jsonPath().getBoolean("retired")).isFalse();

        // And the operator's own way back.
        retire(stays).then().statusCode(200);
        RestAssured.given().auth().oauth2(OPERATOR_TOKEN).post("/api/v1/machines/" + stays + "/unretire")
                .then().statusCode(200).body("retired", org.hamcrest.Matchers.is(false));
    }

    @Test
    void ndjsonLinesAndTheCsvExport() {
        String site = newSite();
        String a = newMachineId("inv-a");
        String b = newMachineId("inv-b");
        JsonPath result = post("application/x-ndjson",
                "{\"machineId\":\"" + a + "\",\"siteCode\":\"" + site + "\",\"roles\":[\"SITE_SERVER\"],"
                        + "\"osVersion\":\"10.0.20348\",\"lastSeenAt\":null}\n"
                        + "{\"machineId\":\"" + b + "\",\"siteCode\":\"" + site + "\",\"roles\":\"\"}\n"
                        + "[1,2]\n")
                .then().statusCode(200).extract().jsonPath();
        assertThat(result.getLong("added")).isEqualTo(2);
        assertThat(result.getList("rejected.line", Integer.class)).containsExactly(3);

        String csv = RestAssured.given().auth().oauth2(VIEWER_TOKEN).accept("text/csv").queryParam("site", site)
                .get("/api/v1/machines").then().statusCode(200).contentType(org.hamcrest.Matchers.startsWith("text/csv"))
                .extract().asString();
        assertThat(csv.split("\r\n")).containsExactly(
                "machineId,siteCode,machineClass,lastSnapshotAt,neverReported,retired,CLIENTS,SITE_SYSTEMS,VERIFY,"
                        + "DISABLE_LEGACY",
                List.of(a, b).stream().sorted().findFirst().get().equals(a)
                        ? a + "," + site + ",site-system,,true,false,NOT_APPLICABLE,UNKNOWN,UNKNOWN,UNKNOWN"
                        : b + "," + site + ",client,,true,false,UNKNOWN,NOT_APPLICABLE,UNKNOWN,NOT_APPLICABLE",
                List.of(a, b).stream().sorted().findFirst().get().equals(a)
                        ? b + "," + site + ",client,,true,false,UNKNOWN,NOT_APPLICABLE,UNKNOWN,NOT_APPLICABLE"
                        : a + "," + site + ",site-system,,true,false,NOT_APPLICABLE,UNKNOWN,UNKNOWN,UNKNOWN");
    }

    @Test
    void aBodyWithoutTheHeaderColumnsOrOfAnotherTypeIsRefused() {
        post("text/csv", "machineId,siteCode\nX1,P01\n").then().statusCode(400)
                .contentType("application/problem+json");
        post("application/json", "{}").then().statusCode(415);
        RestAssured.given().auth().oauth2(VIEWER_TOKEN).contentType("text/csv").body(HEADER.getBytes())
                .post("/api/v1/inventory").then().statusCode(403);
        assertThat(importCsv(HEADER).getLong("received")).isZero();
    }

    private static List<String> listed(String site, String retired) {
        var request = RestAssured.given().auth().oauth2(VIEWER_TOKEN).queryParam("site", site);
        if (retired != null) {
            request.queryParam("retired", retired);
        }
        return request.get("/api/v1/machines").jsonPath().getList("items.machineId");
    }
}
