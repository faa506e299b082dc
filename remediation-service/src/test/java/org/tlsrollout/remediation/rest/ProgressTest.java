package org.tlsrollout.remediation.rest;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.testing.KafkaTestResource;
import org.tlsrollout.testing.PostgresTestResource;

/** GET /api/v1/progress: the counts per site, phase and state are those of the evaluations sent. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class ProgressTest {

    @Test
    void countsEachSiteByPhaseAndState() {
        String site = newSite();
        String other = newSite();
        EvaluationEvent m1 = evaluation(newMachineId("p1"), site, now(), allPhases(PhaseState.COMPLIANT));
        EvaluationEvent m2 = evaluation(newMachineId("p2"), site, now(),
                phases(PhaseState.NONCOMPLIANT, PhaseState.NOT_APPLICABLE, PhaseState.UNKNOWN, PhaseState.NONCOMPLIANT));
        EvaluationEvent m3Stale = evaluation(newMachineId("p3"), site, now().minus(Duration.ofDays(15)),
                phases(PhaseState.COMPLIANT, PhaseState.NOT_APPLICABLE, PhaseState.COMPLIANT, PhaseState.NOT_APPLICABLE));
        EvaluationEvent m4 = evaluation(newMachineId("p4"), site, now(), allPhases(PhaseState.COMPLIANT));
        EvaluationEvent elsewhere = evaluation(newMachineId("p5"), other, now(), allPhases(PhaseState.UNKNOWN));
        send(m1, m2, m3Stale, m4, elsewhere);
        awaitMachines(m1, m2, m3Stale, m4, elsewhere);

        JsonPath progress = progress();
        assertThat(siteCounts(progress, site)).isEqualTo(Map.of(
                "CLIENTS", counts(Map.of(PhaseState.COMPLIANT, 2, PhaseState.NONCOMPLIANT, 1, PhaseState.STALE, 1)),
                "SITE_SYSTEMS", counts(Map.of(PhaseState.COMPLIANT, 2, PhaseState.NOT_APPLICABLE, 2)),
                "VERIFY", counts(Map.of(PhaseState.COMPLIANT, 2, PhaseState.UNKNOWN, 1, PhaseState.STALE, 1)),
                "DISABLE_LEGACY", counts(Map.of(PhaseState.COMPLIANT, 2, PhaseState.NONCOMPLIANT, 1,
                        PhaseState.NOT_APPLICABLE, 1))));
        assertThat(progress.getInt(site(site) + ".machines")).isEqualTo(4);
        assertThat(siteCounts(progress, other)).isEqualTo(Map.of(
                "CLIENTS", counts(Map.of(PhaseState.UNKNOWN, 1)),
                "SITE_SYSTEMS", counts(Map.of(PhaseState.UNKNOWN, 1)),
                "VERIFY", counts(Map.of(PhaseState.UNKNOWN, 1)),
                "DISABLE_LEGACY", counts(Map.of(PhaseState.UNKNOWN, 1))));
        assertThat(progress.getInt(site(other) + ".machines")).isEqualTo(1);
    }

    @Test
    void totalsAreTheSumsOfTheSites() {
        EvaluationEvent one = evaluation(newMachineId("t1"), newSite(), now(), allPhases(PhaseState.NONCOMPLIANT));
        send(one);
        awaitMachines(one);

        JsonPath progress = progress();
        List<Map<String, Object>> sites = progress.getList("sites");
        assertThat(progress.getList("sites.siteCode", String.class)).isSorted().doesNotHaveDuplicates();
        long machines = sites.stream().mapToLong(s -> ((Number) s.get("machines")).longValue()).sum();
        assertThat(progress.getLong("machines")).isEqualTo(machines).isGreaterThanOrEqualTo(1);
        for (Phase phase : Phase.values()) {
            for (PhaseState state : PhaseState.values()) {
                long sum = sites.stream().mapToLong(s -> count(s, phase, state)).sum();
                assertThat(progress.getLong("totals." + phase + "." + state)).as(phase + " " + state).isEqualTo(sum);
            }
            long inPhase = progress.getMap("totals." + phase, String.class, Integer.class).values().stream()
                    .mapToLong(Integer::longValue).sum();
            assertThat(inPhase).as("every machine has one state in " + phase).isEqualTo(machines);
        }
        assertThat(Instant.parse(progress.getString("generatedAt"))).isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void aNewerEvaluationMovesTheMachineToItsNewState() {
        String site = newSite();
        EvaluationEvent before = evaluation(newMachineId("mv"), site, now(), allPhases(PhaseState.NONCOMPLIANT));
        send(before);
        awaitMachines(before);
        assertThat(progress().getInt(site(site) + ".phases.CLIENTS.NONCOMPLIANT")).isEqualTo(1);

        EvaluationEvent after = evaluation(before.machineId(), site, now().plusSeconds(1), allPhases(PhaseState.COMPLIANT));
        send(after);
        awaitMachines(after);
        JsonPath progress = progress();
        assertThat(progress.getInt(site(site) + ".phases.CLIENTS.NONCOMPLIANT")).isZero();
        assertThat(progress.getInt(site(site) + ".phases.CLIENTS.COMPLIANT")).isEqualTo(1);
        assertThat(progress.getInt(site(site) + ".machines")).isEqualTo(1);
    }

    private static JsonPath progress() {
        return get("/api/v1/progress").then().statusCode(200).contentType("application/json").extract().jsonPath();
    }

    private static String site(String siteCode) {
        return "sites.find { it.siteCode == '" + siteCode + "' }";
    }

    private static Map<String, Object> siteCounts(JsonPath progress, String siteCode) {
        return progress.getMap(site(siteCode) + ".phases");
    }

    /** Every state, with the given counts and 0 for the others, as the JSON has them. */
    private static Map<String, Integer> counts(Map<PhaseState, Integer> nonZero) {
        Map<PhaseState, Integer> all = new EnumMap<>(PhaseState.class);
        for (PhaseState state : PhaseState.values()) {
            all.put(state, nonZero.getOrDefault(state, 0));
        }
        Map<String, Integer> json = new java.util.LinkedHashMap<>();
        all.forEach((state, n) -> json.put(state.name(), n));
        return json;
    }

    @SuppressWarnings("unchecked")
    private static long count(Map<String, Object> site, Phase phase, PhaseState state) {
        Map<String, Map<String, Number>> phases = (Map<String, Map<String, Number>>) site.get("phases");
        return phases.get(phase.name()).get(state.name()).longValue();
    }
}
