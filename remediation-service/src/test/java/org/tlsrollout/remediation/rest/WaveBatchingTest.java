package org.tlsrollout.remediation.rest;

import static org.tlsrollout.remediation.TestEstate.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.tlsrollout.remediation.TestRollout.awaitJob;
import static org.tlsrollout.remediation.TestRollout.awaitWaveState;
import static org.tlsrollout.remediation.TestRollout.awaitWithJobs;
import static org.tlsrollout.remediation.TestRollout.createWave;
import static org.tlsrollout.remediation.TestRollout.poll;
import static org.tlsrollout.remediation.TestRollout.postWave;
import static org.tlsrollout.remediation.TestRollout.report;
import static org.tlsrollout.remediation.TestRollout.reportAll;
import static org.tlsrollout.remediation.TestRollout.seedClientsToFix;
import static org.tlsrollout.remediation.TestRollout.wave;
import static org.tlsrollout.remediation.TestRollout.waveAction;
import static org.tlsrollout.remediation.TestRollout.waveRequest;
import static org.tlsrollout.remediation.TestRollout.withJobs;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.testing.KafkaTestResource;
import org.tlsrollout.testing.PostgresTestResource;
import org.tlsrollout.remediation.TestEstate;
import org.tlsrollout.remediation.TestRollout;
import org.tlsrollout.remediation.wave.WaveEngine;

/**
 * Waves over the API: batches (batchSize and percent) released one after another once the current one reported,
 * halting above maxFailureRate (and not at or below it), resume, pause, cancel, expiry, the selector, validation.
 * The engine ticks every 200 ms in the tests; where a test asserts that something does NOT happen, it first runs a
 * whole pass of the engine itself ({@link WaveEngine#runOnce()}), so that the absence is a fact and not a race.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class WaveBatchingTest {

    @Inject
    WaveEngine engine;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void theNextBatchIsReleasedOnlyOnceTheCurrentOneHasReported() {
        String site = TestEstate.newSite();
        List<String> machines = seedClientsToFix("batch", site, 5);

        String id = createWave(waveRequest(Phase.CLIENTS, site, 0.5, "batchSize", 2));
        JsonPath created = wave(id);
        assertThat(created.getInt("counts.targeted")).isEqualTo(5);
        assertThat(created.getInt("batchSize")).isEqualTo(2);
        assertThat(created.getInt("batches")).isEqualTo(3);

        List<String> first = awaitWithJobs(machines, 2);
        engine.runOnce();
        assertThat(withJobs(machines)).as("batch 2 waits for batch 1's reports").containsExactlyElementsOf(first);
        assertThat(wave(id).getString("state")).isEqualTo("RUNNING");
        assertThat(wave(id).getInt("currentBatch")).isEqualTo(1);

        // One of two reported: still waiting.
        report(first.get(0), awaitJob(first.get(0)).get("jobId"), "SUCCEEDED");
        engine.runOnce();
        assertThat(withJobs(machines)).containsExactly(first.get(1));

        report(first.get(1), awaitJob(first.get(1)).get("jobId"), "SUCCEEDED");
        List<String> rest = new ArrayList<>(machines);
        rest.removeAll(first);
        List<String> second = awaitWithJobs(rest, 2);
        assertThat(wave(id).getInt("currentBatch")).isEqualTo(2);

        reportAll(second, "SUCCEEDED");
        rest.removeAll(second);
        awaitWithJobs(rest, 1);
        reportAll(rest, "SUCCEEDED");
        awaitWaveState(id, "COMPLETED");

        JsonPath done = wave(id);
        assertThat(done.getInt("counts.issued")).isEqualTo(5);
        assertThat(done.getInt("counts.succeeded")).isEqualTo(5);
        assertThat(done.getInt("counts.failed")).isZero();
        assertThat(done.getInt("counts.pendingRestart")).as("each job asked for a restart").isEqualTo(5);
        assertThat(done.getInt("currentBatch")).isEqualTo(3);
        assertThat(done.getList("history.action")).containsExactly("create", "start", "release-batch",
                "release-batch", "complete");
        assertThat(done.getString("history[0].actor")).isEqualTo("operator");
        assertThat(done.getString("history[1].actor")).isEqualTo("system");
        assertThat(done.getString("history[0].toState")).isEqualTo("PLANNED");
        assertThat(done.getString("history[0].fromState")).isNull();
        assertThat(done.getString("history[4].toState")).isEqualTo("COMPLETED");
        assertThat(done.getString("createdBy")).isEqualTo("operator");
    }

    @Test
    void percentMakesBatchesOfThatShareOfTheTargets() {
        String site = TestEstate.newSite();
        List<String> machines = seedClientsToFix("pct", site, 10);

        String id = createWave(waveRequest(Phase.CLIENTS, site, 0.2, "percent", 30));
        JsonPath created = wave(id);
        assertThat(created.getInt("counts.targeted")).isEqualTo(10);
        assertThat(created.getInt("batchSize")).isEqualTo(3);
        assertThat(created.getInt("percent")).isEqualTo(30);
        assertThat(created.getInt("batches")).isEqualTo(4);

        List<String> first = awaitWithJobs(machines, 3);
        engine.runOnce();
        assertThat(withJobs(machines)).containsExactlyInAnyOrderElementsOf(first);
        reportAll(first, "SUCCEEDED");
        List<String> rest = new ArrayList<>(machines);
        rest.removeAll(first);
        awaitWithJobs(rest, 3);
    }

    @Test
    void aFailureRateAboveTheLimitHaltsTheWaveAndNoLaterBatchGetsAJobUntilResumed() {
        String site = TestEstate.newSite();
        List<String> machines = seedClientsToFix("halt", site, 6);

        String id = createWave(waveRequest(Phase.CLIENTS, site, 0.4, "batchSize", 2));
        List<String> first = awaitWithJobs(machines, 2);
        // 1 of 2 failed: 0.5 > 0.4. A REJECTED job counts as a failure too.
        report(first.get(0), awaitJob(first.get(0)).get("jobId"), "REJECTED");
        report(first.get(1), awaitJob(first.get(1)).get("jobId"), "SUCCEEDED");
        awaitWaveState(id, "HALTED");

        engine.runOnce();
        List<String> later = new ArrayList<>(machines);
        later.removeAll(first);
        assertThat(withJobs(machines)).as("nothing issued after the halt").isEmpty();
        assertThat(jobsOfMachines(later)).isZero();
        JsonPath halted = wave(id);
        assertThat(halted.getString("haltedReason")).contains("0.500", "above maxFailureRate 0.4", "batch 1 of 3");
        assertThat(halted.getInt("counts.rejected")).isEqualTo(1);
        assertThat(halted.getInt("counts.issued")).isEqualTo(2);
        assertThat(halted.getList("history.action")).endsWith("halt");
        assertThat(halted.getString("history[-1].actor")).isEqualTo("system");
        assertThat(halted.getString("history[-1].fromState")).isEqualTo("RUNNING");

        // The operator resumes: batch 1's rate is accepted, batch 2 is released.
        waveAction(id, "resume").then().statusCode(200).body("state", is("RUNNING"));
        List<String> second = awaitWithJobs(later, 2);
        JsonPath resumed = wave(id);
        assertThat(resumed.getString("haltedReason")).isNull();
        assertThat(resumed.getList("history.action")).contains("halt", "resume");
        assertThat(resumed.getList("history.actor")).contains("operator", "system");

        // Batch 2 all fine: over the whole wave 1 of 4 failed, 0.25 <= 0.4: batch 3 follows.
        reportAll(second, "SUCCEEDED");
        later.removeAll(second);
        awaitWithJobs(later, 2);
    }

    @Test
    void aFailureRateEqualToTheLimitDoesNotHalt() {
        String site = TestEstate.newSite();
        List<String> machines = seedClientsToFix("limit", site, 4);

        String id = createWave(waveRequest(Phase.CLIENTS, site, 0.5, "batchSize", 2));
        List<String> first = awaitWithJobs(machines, 2);
        report(first.get(0), awaitJob(first.get(0)).get("jobId"), "FAILED");
        report(first.get(1), awaitJob(first.get(1)).get("jobId"), "SUCCEEDED");
        List<String> later = new ArrayList<>(machines);
        later.removeAll(first);
        awaitWithJobs(later, 2);
        assertThat(wave(id).getString("state")).isEqualTo("RUNNING");
        assertThat(wave(id).getList("history.action")).contains("release-batch").doesNotContain("halt");
    }

    @Test
    void aPausedWaveReleasesNoBatchButItsJobsStayPollableUntilResumed() {
        String site = TestEstate.newSite();
        List<String> machines = seedClientsToFix("pause", site, 4);
        String id = createWave(waveRequest(Phase.CLIENTS, site, 0.5, "batchSize", 2));
        List<String> first = awaitWithJobs(machines, 2);

        waveAction(id, "pause").then().statusCode(200).body("state", is("PAUSED"));
        assertThat(withJobs(machines)).as("issued jobs stay pollable").containsExactlyInAnyOrderElementsOf(first);
        reportAll(first, "SUCCEEDED");
        engine.runOnce();
        assertThat(withJobs(machines)).isEmpty();
        assertThat(wave(id).getString("state")).isEqualTo("PAUSED");

        waveAction(id, "resume").then().statusCode(200);
        List<String> later = new ArrayList<>(machines);
        later.removeAll(first);
        awaitWithJobs(later, 2);
        JsonPath resumed = wave(id);
        assertThat(resumed.getList("history.action")).contains("pause", "resume");
        assertThat(resumed.getList("history.toState")).contains("PAUSED", "RUNNING");
    }

    @Test
    void aCancelledWaveCancelsItsUnreportedJobsAndAcceptsNoOtherChange() {
        String site = TestEstate.newSite();
        List<String> machines = seedClientsToFix("cancel", site, 3);
        String id = createWave(waveRequest(Phase.CLIENTS, site, 0.5, "batchSize", 2));
        List<String> first = awaitWithJobs(machines, 2);

        waveAction(id, "cancel").then().statusCode(200)
                .body("state", is("CANCELLED"))
                .body("counts.cancelled", is(2));
        assertThat(withJobs(machines)).as("cancelled jobs are not served").isEmpty();
        engine.runOnce();
        assertThat(withJobs(machines)).isEmpty();

        for (String action : List.of("pause", "resume", "cancel")) {
            waveAction(id, action).then().statusCode(409)
                    .contentType("application/problem+json")
                    .body("status", is(409))
                    .body("detail", org.hamcrest.Matchers.containsString("CANCELLED"));
        }
        // Which state allows which action (a RUNNING wave is not resumed, ...): WaveStateTest, plain.
        waveAction("no-such-wave", "pause").then().statusCode(404);
        assertThat(first).hasSize(2);
    }

    @Test
    void expiredJobsCountAsDoneAndTheNextBatchIsReleased() throws SQLException {
        String site = TestEstate.newSite();
        List<String> machines = seedClientsToFix("expire", site, 3);
        String id = createWave(waveRequest(Phase.CLIENTS, site, 0.0, "batchSize", 2));
        List<String> first = awaitWithJobs(machines, 2);
        double expiredBefore = AgentJobTest.jobsTotal(site, "CLIENTS", "expired");

        execute(dataSource, "UPDATE job SET expires_at = now() - interval '1 second' WHERE wave_id = '" + id + "'");
        List<String> later = new ArrayList<>(machines);
        later.removeAll(first);
        awaitWithJobs(later, 1);
        JsonPath w = wave(id);
        assertThat(w.getInt("counts.expired")).isEqualTo(2);
        assertThat(withJobs(first)).as("expired jobs are not served").isEmpty();
        // Counted in tlsrollout_jobs_total{site, outcome="expired"}.
        assertThat(AgentJobTest.jobsTotal(site, "CLIENTS", "expired")).isEqualTo(expiredBefore + 2);
    }

    @Test
    void theSelectorAndIssuedJobsOfOtherWavesNarrowTheTargets() {
        String site = TestEstate.newSite();
        EvaluationEvent win7 = TestRollout.clientToFix("sel7", site);
        EvaluationEvent win10 = TestRollout.evaluation(TestEstate.newMachineId("sel10"), site, TestEstate.now(),
                "10.0.19045", List.of(Role.CLIENT), TestEstate.now().minus(Duration.ofDays(1)),
                win7.phases(), win7.results());
        EvaluationEvent win61x = TestRollout.evaluation(TestEstate.newMachineId("sel61"), site, TestEstate.now(),
                "6.1.7601", List.of(Role.CLIENT), TestEstate.now().minus(Duration.ofDays(1)),
                win7.phases(), win7.results());
        EvaluationEvent console = TestRollout.evaluation(TestEstate.newMachineId("selc"), site, TestEstate.now(),
                "10.0", List.of(Role.CLIENT, Role.ADMIN_CONSOLE), TestEstate.now().minus(Duration.ofDays(1)),
                win7.phases(), win7.results());
        EvaluationEvent compliant = TestRollout.evaluation(TestEstate.newMachineId("selok"), site, TestEstate.now(),
                "6.1", List.of(Role.CLIENT), TestEstate.now(), TestEstate.allPhases(PhaseState.COMPLIANT), List.of());
        TestEstate.send(win7, win10, win61x, console, compliant);
        TestEstate.awaitMachines(win7, win10, win61x, console, compliant);

        Map<String, Object> os61 = waveRequest(Phase.CLIENTS, site, 0.5, "dryRun", true,
                "selector", Map.of("osVersions", List.of("6.1")));
        postWave(os61).then().statusCode(200).body("targeted", is(2))
                .body("targets", org.hamcrest.Matchers.containsInAnyOrder(win7.machineId(), win61x.machineId()));
        Map<String, Object> consoles = waveRequest(Phase.CLIENTS, site, 0.5, "dryRun", true,
                "selector", Map.of("roles", List.of("ADMIN_CONSOLE"), "osVersions", List.of("10.0")));
        postWave(consoles).then().statusCode(200).body("targeted", is(1)).body("targets", hasItems(console.machineId()));

        // A wave on the Windows 10 machines: while their jobs are ISSUED, no other wave targets them.
        String first = createWave(waveRequest(Phase.CLIENTS, site, 0.5, "selector", Map.of("osVersions", List.of("10.0"))));
        awaitWithJobs(List.of(win10.machineId(), console.machineId()), 2);
        postWave(waveRequest(Phase.CLIENTS, site, 0.5, "dryRun", true)).then().statusCode(200)
                .body("targeted", is(2));
        assertThat(wave(first).getInt("counts.targeted")).isEqualTo(2);
    }

    /** The field-by-field rules are WaveRequestValidationTest's; this checks they reach the operator as problem details. */
    @Test
    void anInvalidWaveIs400NamingEveryField() {
        postWave(Map.of("sites", List.of(), "phase", "CLIENTS")).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItems("/sites", "/maxFailureRate"));
        postWave("{not json").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void withoutBatchSizeOrPercentBatchesAreOf100() {
        String site = TestEstate.newSite();
        seedClientsToFix("dflt", site, 1);
        String id = createWave(waveRequest(Phase.CLIENTS, site, 0.1));
        assertThat(wave(id).getInt("batchSize")).isEqualTo(100);
        assertThat(wave(id).getInt("batches")).isEqualTo(1);
    }

    private long jobsOfMachines(List<String> machineIds) {
        long n = 0;
        for (String id : machineIds) {
            n += poll(id).size();
        }
        return n;
    }
}
