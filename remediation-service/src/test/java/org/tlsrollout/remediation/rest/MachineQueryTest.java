package org.tlsrollout.remediation.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.tlsrollout.remediation.TestEstate.allPhases;
import static org.tlsrollout.remediation.TestEstate.awaitMachines;
import static org.tlsrollout.remediation.TestEstate.evaluation;
import static org.tlsrollout.remediation.TestEstate.get;
import static org.tlsrollout.remediation.TestEstate.newMachineId;
import static org.tlsrollout.remediation.TestEstate.newSite;
import static org.tlsrollout.remediation.TestEstate.now;
import static org.tlsrollout.remediation.TestEstate.phases;
import static org.tlsrollout.remediation.TestEstate.send;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.testing.KafkaTestResource;
import org.tlsrollout.testing.PostgresTestResource;

/** GET /api/v1/machines and /api/v1/machines/{machineId}: filters, paging, STALE, errors. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class MachineQueryTest {
    private static final String siteA = newSite();
    private static final String siteB = newSite();
    private static final Instant longAgo = now().minus(Duration.ofDays(30));
    private static EvaluationEvent a1;
    private static EvaluationEvent a2;
    private static EvaluationEvent a3Stale;
    private static EvaluationEvent b1;
    private static boolean seeded;

    /** Once for the class (the application serves HTTP only once the first test runs). */
    @BeforeEach
    void estate() {
        if (seeded) {
            return;
        }
        a1 = evaluation(newMachineId("qa1"), siteA, now(),
                phases(PhaseState.NONCOMPLIANT, PhaseState.COMPLIANT, PhaseState.COMPLIANT, PhaseState.COMPLIANT));
        a2 = evaluation(newMachineId("qa2"), siteA, now(), allPhases(PhaseState.COMPLIANT));
        a3Stale = evaluation(newMachineId("qa3"), siteA, longAgo,
                phases(PhaseState.COMPLIANT, PhaseState.NOT_APPLICABLE, PhaseState.NONCOMPLIANT,
                        PhaseState.NOT_APPLICABLE));
        b1 = evaluation(newMachineId("qb1"), siteB, now(),
                phases(PhaseState.NONCOMPLIANT, PhaseState.COMPLIANT, PhaseState.COMPLIANT, PhaseState.COMPLIANT));
        EvaluationEvent b2 = evaluation(newMachineId("qb2"), siteB, now(), allPhases(PhaseState.COMPLIANT));
        send(a1, a2, a3Stale, b1, b2);
        awaitMachines(a1, a2, a3Stale, b1, b2);
        seeded = true;
    }

    @Test
    void listsTheMachinesOfASiteInMachineIdOrder() {
        JsonPath page = get("/api/v1/machines?site=" + siteA).then().statusCode(200).extract().jsonPath();
        assertThat(page.getInt("page")).isZero();
        assertThat(page.getInt("size")).isEqualTo(50);
        assertThat(page.getLong("total")).isEqualTo(3);
        List<String> ids = page.getList("items.machineId");
        assertThat(ids).containsExactlyInAnyOrder(a1.machineId(), a2.machineId(), a3Stale.machineId()).isSorted();
        assertThat(page.getList("items.siteCode")).containsOnly(siteA);
        Map<String, Object> item = page.getMap("items.find { it.machineId == '" + a1.machineId() + "' }");
        assertThat(item).containsOnlyKeys("machineId", "siteCode", "machineClass", "lastSnapshotAt", "neverReported", "retired",
                "phases");
        assertThat(item.get("machineClass")).isEqualTo("client");
        assertThat(Instant.parse((String) item.get("lastSnapshotAt"))).isEqualTo(a1.collectedAt());
        assertThat(item.get("phases")).isEqualTo(Map.of("CLIENTS", "NONCOMPLIANT", "SITE_SYSTEMS", "COMPLIANT",
                "VERIFY", "COMPLIANT", "DISABLE_LEGACY", "COMPLIANT"));
    }

    @Test
    void pagesThroughTheMachines() {
        JsonPath first = get("/api/v1/machines?site=" + siteA + "&size=2&page=0").then().statusCode(200)
                .extract().jsonPath();
        JsonPath second = get("/api/v1/machines?site=" + siteA + "&size=2&page=1").then().statusCode(200)
                .extract().jsonPath();
        JsonPath beyond = get("/api/v1/machines?site=" + siteA + "&size=2&page=2").then().statusCode(200)
                .extract().jsonPath();
        assertThat(first.getInt("size")).isEqualTo(2);
        assertThat(second.getInt("page")).isEqualTo(1);
        assertThat(first.getLong("total")).isEqualTo(3);
        assertThat(second.getLong("total")).isEqualTo(3);
        assertThat(beyond.getLong("total")).isEqualTo(3);
        assertThat(first.getList("items")).hasSize(2);
        assertThat(second.getList("items")).hasSize(1);
        assertThat(beyond.getList("items")).isEmpty();
        List<String> all = new ArrayList<>(first.getList("items.machineId"));
        all.addAll(second.getList("items.machineId"));
        assertThat(all).containsExactlyInAnyOrder(a1.machineId(), a2.machineId(), a3Stale.machineId()).isSorted();
    }

    @Test
    void filtersByTheStateShownInAPhase() {
        assertThat(ids("site=" + siteA + "&phase=CLIENTS&state=NONCOMPLIANT")).containsExactly(a1.machineId());
        assertThat(ids("site=" + siteB + "&phase=CLIENTS&state=NONCOMPLIANT")).containsExactly(b1.machineId());
        assertThat(ids("phase=CLIENTS&state=NONCOMPLIANT&size=500"))
                .contains(a1.machineId(), b1.machineId())
                .doesNotContain(a2.machineId(), a3Stale.machineId());
        // A phase alone filters nothing.
        assertThat(ids("site=" + siteA + "&phase=VERIFY")).hasSize(3);
    }

    @Test
    void aMachineWhoseNewestSnapshotIsOlderThanTheWindowIsStaleWhereverItApplies() {
        JsonPath machine = get("/api/v1/machines/" + a3Stale.machineId()).then().statusCode(200).extract().jsonPath();
        assertThat(Instant.parse(machine.getString("lastSnapshotAt"))).isEqualTo(longAgo);
        assertThat(machine.getMap("phases")).containsOnly(
                Map.entry("CLIENTS", "STALE"), Map.entry("SITE_SYSTEMS", "NOT_APPLICABLE"),
                Map.entry("VERIFY", "STALE"), Map.entry("DISABLE_LEGACY", "NOT_APPLICABLE"));

        assertThat(ids("site=" + siteA + "&phase=CLIENTS&state=STALE")).containsExactly(a3Stale.machineId());
        assertThat(ids("site=" + siteA + "&phase=VERIFY&state=STALE")).containsExactly(a3Stale.machineId());
        assertThat(ids("site=" + siteA + "&phase=DISABLE_LEGACY&state=STALE")).isEmpty();
        assertThat(ids("site=" + siteA + "&phase=DISABLE_LEGACY&state=NOT_APPLICABLE"))
                .containsExactly(a3Stale.machineId());
        // Stored COMPLIANT / NONCOMPLIANT, but stale: it shows neither.
        assertThat(ids("site=" + siteA + "&phase=CLIENTS&state=COMPLIANT")).containsExactly(a2.machineId());
        assertThat(ids("site=" + siteA + "&phase=VERIFY&state=NONCOMPLIANT")).isEmpty();
        assertThat(get("/api/v1/machines?site=" + siteA + "&phase=CLIENTS&state=STALE").jsonPath()
                .getString("items[0].phases.VERIFY")).isEqualTo("STALE");
    }

    @Test
    void aFreshEvaluationEndsStaleness() {
        String site = newSite();
        EvaluationEvent old = evaluation(newMachineId("revived"), site, longAgo, allPhases(PhaseState.COMPLIANT));
        send(old);
        awaitMachines(old);
        assertThat(get("/api/v1/machines/" + old.machineId()).jsonPath().getString("phases.CLIENTS")).isEqualTo("STALE");

        EvaluationEvent fresh = evaluation(old.machineId(), site, now(), allPhases(PhaseState.COMPLIANT));
        send(fresh);
        awaitMachines(fresh);
        assertThat(get("/api/v1/machines/" + old.machineId()).jsonPath().getString("phases.CLIENTS"))
                .isEqualTo("COMPLIANT");
    }

    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
        "state=COMPLIANT                  | state",
        "site=XY                          | site",
        "site=abc                         | site",
        "site=ABCD                        | site",
        "phase=PHASE_ONE&state=COMPLIANT  | phase",
        "phase=CLIENTS&state=DONE         | state",
        "phase=clients                    | phase",
        "page=-1                          | page",
        "page=first                       | page",
        "size=0                           | size",
        "size=501                         | size",
        "size=ten                         | size",
    })
    void answersInvalidParametersWithProblemDetailsNamingThem(String query, String field) {
        JsonPath problem = get("/api/v1/machines?" + query).then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", is(400))
                .extract().jsonPath();
        assertThat(problem.getString("title")).isEqualTo("Invalid request");
        assertThat(problem.getList("errors.field")).containsExactly(field);
        assertThat(problem.getString("instance")).isEqualTo("/api/v1/machines");
    }

    @Test
    void answersAnUnknownMachineWith404ProblemDetails() {
        get("/api/v1/machines/" + newMachineId("nobody")).then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", is(404))
                .body("title", is("Not found"));
    }

    private List<String> ids(String query) {
        return get("/api/v1/machines?" + query).then().statusCode(200).extract().jsonPath().getList("items.machineId");
    }
}
