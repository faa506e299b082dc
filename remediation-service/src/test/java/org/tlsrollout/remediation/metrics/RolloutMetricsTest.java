package org.tlsrollout.remediation.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrollout.remediation.TestEstate.eventually;
import static org.tlsrollout.remediation.TestEstate.allPhases;
import static org.tlsrollout.remediation.TestEstate.awaitMachines;
import static org.tlsrollout.remediation.TestEstate.evaluation;
import static org.tlsrollout.remediation.TestEstate.newMachineId;
import static org.tlsrollout.remediation.TestEstate.newSite;
import static org.tlsrollout.remediation.TestEstate.now;
import static org.tlsrollout.remediation.TestEstate.phases;
import static org.tlsrollout.remediation.TestEstate.send;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.testing.KafkaTestResource;
import org.tlsrollout.testing.PostgresTestResource;
import org.tlsrollout.remediation.TestEstate;
import org.tlsrollout.remediation.TestRollout;

/**
 * tlsrollout_machines{site, phase, state}, tlsrollout_jobs_total{site, phase, outcome}, tlsrollout_waves{state},
 * tlsrollout_site_last_snapshot_timestamp_seconds{site} and tlsrollout_dead_letters_total{topic} on /q/metrics, as
 * api.md and the dashboard name them.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class RolloutMetricsTest {
    private static final Pattern SAMPLE = Pattern.compile("^tlsrollout_machines\\{([^}]*)\\} (\\S+)$");
    private static final Pattern JOBS = Pattern.compile("^tlsrollout_jobs_total\\{([^}]*)\\} (\\S+)$");
    private static final Pattern LAST_SNAPSHOT =
            Pattern.compile("^tlsrollout_site_last_snapshot_timestamp_seconds\\{([^}]*)\\} (\\S+)$");
    private static final Pattern WAVES = Pattern.compile("^tlsrollout_waves\\{([^}]*)\\} (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    @Inject
    RolloutMetrics metrics;

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    @Test
    void oneInstancePublishesTheEstateGaugesAnotherOneNothing() throws Exception {
        metrics.refresh();
        assertThat(metrics.publishesGauges()).isTrue();
        // Another instance's session cannot take the lock while this one holds it.
        try (java.sql.Connection other = dataSource.getConnection();
                java.sql.PreparedStatement lock = other.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            lock.setLong(1, RolloutMetrics.GAUGE_LOCK);
            try (java.sql.ResultSet rs = lock.executeQuery()) {
                rs.next();
                assertThat(rs.getBoolean(1)).isFalse();
            }
        }
        // Released (as at shutdown), taken again at the next refresh.
        metrics.release();
        metrics.refresh();
        assertThat(metrics.publishesGauges()).isTrue();
        assertThat(RestAssured.get("/q/metrics").asString()).contains("tlsrollout_waves{");
    }

    @Test
    void countsMachinesPerSitePhaseAndState() {
        String site = newSite();
        EvaluationEvent m1 = evaluation(newMachineId("g1"), site, now(), allPhases(PhaseState.COMPLIANT));
        EvaluationEvent m2 = evaluation(newMachineId("g2"), site, now(), allPhases(PhaseState.COMPLIANT));
        EvaluationEvent m3 = evaluation(newMachineId("g3"), site, now(),
                phases(PhaseState.NONCOMPLIANT, PhaseState.NOT_APPLICABLE, PhaseState.UNKNOWN, PhaseState.NONCOMPLIANT));
        EvaluationEvent stale = evaluation(newMachineId("g4"), site, now().minus(Duration.ofDays(20)),
                allPhases(PhaseState.COMPLIANT));
        send(m1, m2, m3, stale);
        awaitMachines(m1, m2, m3, stale);

        metrics.refresh();

        String text = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(text).contains("# TYPE tlsrollout_machines gauge");
        assertThat(text).containsPattern("tlsrollout_build_info\\{[^}]*service=\"remediation-service\"[^}]*\\} 1\\.0");
        Map<Map<String, String>, Double> samples = samples(text);
        assertThat(samples).isNotEmpty();
        assertThat(samples.keySet()).allSatisfy(labels -> assertThat(labels).containsOnlyKeys("site", "phase", "state"));
        assertThat(value(samples, site, Phase.CLIENTS, PhaseState.COMPLIANT)).isEqualTo(2.0);
        assertThat(value(samples, site, Phase.CLIENTS, PhaseState.NONCOMPLIANT)).isEqualTo(1.0);
        assertThat(value(samples, site, Phase.CLIENTS, PhaseState.STALE)).isEqualTo(1.0);
        assertThat(value(samples, site, Phase.SITE_SYSTEMS, PhaseState.NOT_APPLICABLE)).isEqualTo(1.0);
        assertThat(value(samples, site, Phase.VERIFY, PhaseState.UNKNOWN)).isEqualTo(1.0);
        assertThat(value(samples, site, Phase.DISABLE_LEGACY, PhaseState.NONCOMPLIANT)).isEqualTo(1.0);
        // Every state of every phase of the site has a series, 0 included.
        assertThat(value(samples, site, Phase.VERIFY, PhaseState.PENDING_RESTART)).isEqualTo(0.0);
        double machines = 0;
        for (PhaseState state : PhaseState.values()) {
            machines += value(samples, site, Phase.VERIFY, state);
        }
        assertThat(machines).isEqualTo(4.0);
    }

    @Test
    void theScheduledRefreshPicksUpNewMachines() {
        String site = newSite();
        EvaluationEvent machine = evaluation(newMachineId("sched"), site, now(), allPhases(PhaseState.UNKNOWN));
        send(machine);
        awaitMachines(machine);

        // remediation.metrics-refresh is 1s in the test profile; nothing here calls refresh().
        eventually().untilAsserted(() -> assertThat(
                value(samples(RestAssured.get("/q/metrics").asString()), site, Phase.CLIENTS, PhaseState.UNKNOWN))
                .isEqualTo(1.0));
    }

    @Test
    void jobsAreCountedBySitePhaseAndOutcomeOnceEach() {
        String site = newSite();
        String text = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        // A site's series appear with its first job.
        assertThat(samples(text, JOBS).keySet()).noneMatch(labels -> site.equals(labels.get("site")));

        List<String> machines = TestRollout.seedClientsToFix("jm", site, 2);
        TestRollout.createWave(TestRollout.waveRequest(Phase.CLIENTS, site, 1.0));
        TestRollout.report(machines.get(0), TestRollout.awaitJob(machines.get(0)).get("jobId"), "SUCCEEDED");
        String failed = TestRollout.awaitJob(machines.get(1)).get("jobId");
        TestRollout.report(machines.get(1), failed, "FAILED");
        TestRollout.report(machines.get(1), failed, "FAILED");

        text = RestAssured.get("/q/metrics").asString();
        assertThat(text).contains("# TYPE tlsrollout_jobs counter");
        Map<Map<String, String>, Double> after = samples(text, JOBS);
        assertThat(after.keySet()).allSatisfy(labels -> assertThat(labels).containsOnlyKeys("site", "phase", "outcome"));
        assertThat(jobs(after, site, "CLIENTS", "issued")).isEqualTo(2.0);
        assertThat(jobs(after, site, "CLIENTS", "succeeded")).isEqualTo(1.0);
        assertThat(jobs(after, site, "CLIENTS", "failed")).isEqualTo(1.0);
        // Every phase and outcome of the site has a series once it has one, at 0 until counted.
        assertThat(jobs(after, site, "CLIENTS", "rejected")).isZero();
        assertThat(jobs(after, site, "CLIENTS", "expired")).isZero();
        assertThat(jobs(after, site, "VERIFY", "issued")).isZero();

        // Both jobs asked for a restart; the succeeded one leaves its machine PENDING_RESTART.
        metrics.refresh();
        Map<Map<String, String>, Double> machineSamples = samples(RestAssured.get("/q/metrics").asString());
        assertThat(value(machineSamples, site, Phase.CLIENTS, PhaseState.PENDING_RESTART)).isEqualTo(1.0);
        assertThat(value(machineSamples, site, Phase.CLIENTS, PhaseState.NONCOMPLIANT)).isEqualTo(1.0);
    }

    @Test
    void aSiteWithMachinesHasItsJobSeriesAtZeroBeforeItsFirstJob() {
        String site = newSite();
        EvaluationEvent machine = evaluation(newMachineId("zero"), site, now(), allPhases(PhaseState.NONCOMPLIANT));
        send(machine);
        awaitMachines(machine);

        // The refresh registers them (every instance does): increase() then counts the first job from 0.
        metrics.refresh();
        Map<Map<String, String>, Double> jobs = samples(RestAssured.get("/q/metrics").asString(), JOBS);
        assertThat(jobs(jobs, site, "CLIENTS", "issued")).isZero();
        assertThat(jobs(jobs, site, "DISABLE_LEGACY", "succeeded")).isZero();
    }

    @Test
    void theNewestSnapshotOfASiteIsPublishedInSecondsRetiredMachinesAside() {
        String site = newSite();
        java.time.Instant newest = now().minus(Duration.ofMinutes(5));
        EvaluationEvent older = evaluation(newMachineId("ls1"), site, newest.minus(Duration.ofHours(3)),
                allPhases(PhaseState.COMPLIANT));
        EvaluationEvent latest = evaluation(newMachineId("ls2"), site, newest, allPhases(PhaseState.COMPLIANT));
        EvaluationEvent retired = evaluation(newMachineId("ls3"), site, now(), allPhases(PhaseState.COMPLIANT));
        send(older, latest, retired);
        awaitMachines(older, latest, retired);
        RestAssured.given().auth().oauth2(TestEstate.OPERATOR_TOKEN)
                .post("/api/v1/machines/" + retired.machineId() + "/retire").then().statusCode(200);

        metrics.refresh();
        Map<Map<String, String>, Double> samples = samples(RestAssured.get("/q/metrics").asString(), LAST_SNAPSHOT);
        assertThat(samples.keySet()).allSatisfy(labels -> assertThat(labels).containsOnlyKeys("site"));
        assertThat(samples.get(Map.of("site", site))).isCloseTo(newest.toEpochMilli() / 1000.0,
                org.assertj.core.data.Offset.offset(0.0005));
    }

    @Test
    void wavesAreCountedByStateEveryStateIncluded() {
        String site = newSite();
        TestRollout.seedClientsToFix("wm", site, 1);
        String id = TestRollout.createWave(TestRollout.waveRequest(Phase.CLIENTS, site, 1.0));
        TestRollout.waveAction(id, "cancel").then().statusCode(200);

        metrics.refresh();
        String text = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(text).contains("# TYPE tlsrollout_waves gauge");
        Map<Map<String, String>, Double> waves = samples(text, WAVES);
        assertThat(waves.keySet()).extracting(labels -> labels.get("state"))
                .containsExactlyInAnyOrder("PLANNED", "RUNNING", "PAUSED", "HALTED", "COMPLETED", "CANCELLED");
        assertThat(waves.keySet()).allSatisfy(labels -> assertThat(labels).containsOnlyKeys("state"));
        assertThat(waves.get(Map.of("state", "CANCELLED"))).isGreaterThanOrEqualTo(1.0);
        int all = TestEstate.get("/api/v1/waves").then().statusCode(200).extract().jsonPath().getList("").size();
        assertThat(waves.values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(all);
    }

    @Test
    void deadLetteredEvaluationsAreCountedByTopic() {
        Pattern dead = Pattern.compile("^tlsrollout_dead_letters_total\\{topic=\"tlsrollout.evaluations.v1.dlq\"\\} (\\S+)$",
                Pattern.MULTILINE);
        double before = first(dead, RestAssured.get("/q/metrics").asString());
        String key = newMachineId("dlq");
        TestEstate.send(List.of(TestEstate.record(null, key, "{ not an evaluation")));
        eventually().untilAsserted(() ->
                assertThat(first(dead, RestAssured.get("/q/metrics").asString())).isEqualTo(before + 1));
    }

    private static double first(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new AssertionError("no sample of " + pattern);
        }
        return Double.parseDouble(m.group(1));
    }

    private static Double jobs(Map<Map<String, String>, Double> samples, String site, String phase, String outcome) {
        return samples.get(Map.of("site", site, "phase", phase, "outcome", outcome));
    }

    private static Map<Map<String, String>, Double> samples(String text) {
        return samples(text, SAMPLE);
    }

    private static Map<Map<String, String>, Double> samples(String text, Pattern pattern) {
        Map<Map<String, String>, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher sample = pattern.matcher(line);
            if (sample.matches()) {
                Map<String, String> labels = new LinkedHashMap<>();
                Matcher label = LABEL.matcher(sample.group(1));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
                samples.put(labels, Double.parseDouble(sample.group(2)));
            }
        }
        return samples;
    }

    private static Double value(Map<Map<String, String>, Double> samples, String site, Phase phase, PhaseState state) {
        return samples.get(Map.of("site", site, "phase", phase.name(), "state", state.name()));
    }
}
