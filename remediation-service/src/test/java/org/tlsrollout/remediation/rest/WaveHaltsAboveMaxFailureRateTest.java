package org.tlsrollout.remediation.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.tlsrollout.remediation.TestRollout.createWave;
import static org.tlsrollout.remediation.TestRollout.poll;
import static org.tlsrollout.remediation.TestRollout.report;
import static org.tlsrollout.remediation.TestRollout.seedClientsToFix;
import static org.tlsrollout.remediation.TestRollout.wave;
import static org.tlsrollout.remediation.TestRollout.waveRequest;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.testing.KafkaTestResource;
import org.tlsrollout.testing.PostgresTestResource;
import org.tlsrollout.remediation.TestEstate;
import org.tlsrollout.remediation.wave.WaveEngine;

/**
 * A wave whose batch fails more than maxFailureRate halts before its next batch (R7 of issue #6,
 * docs/benchmarks.md): two waves of 100 machines in two batches of 50 against maxFailureRate 5%, their
 * agents (over the agent API) failing 2% and 10% of their jobs. The 10% wave halts after its first batch and no job of
 * its second batch is ever issued; the 2% wave completes. Real Kafka (the evaluations that make the machines) and
 * real PostgreSQL.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class WaveHaltsAboveMaxFailureRateTest {
    static final int MACHINES = 100;
    static final int BATCH = 50;
    static final double MAX_FAILURE_RATE = 0.05;

    @Inject
    WaveEngine engine;

    @Inject
    AgroalDataSource dataSource;

    /** Plays the agents: polls each machine's jobs and reports them, every {@code failEvery}-th report FAILED. */
    static final class Agents {
        final List<String> machines;
        final int failEvery;
        int reported;
        int failed;

        Agents(List<String> machines, int failEvery) {
            this.machines = machines;
            this.failEvery = failEvery;
        }

        /** Machines whose agent reported a job: a wave gives a machine one job, {@link #round} polls them no more. */
        final Set<String> done = new HashSet<>();

        /** One round: every job served now to a machine that reported none yet is reported. */
        void round() {
            pollAndReport(machines.stream().filter(m -> !done.contains(m)).toList());
        }

        /** One round over every machine, those that reported included. */
        void roundAll() {
            pollAndReport(machines);
        }

        private void pollAndReport(List<String> polled) {
            for (String machine : polled) {
                for (Map<String, String> job : poll(machine)) {
                    reported++;
                    boolean fail = reported % failEvery == 0;
                    failed += fail ? 1 : 0;
                    report(machine, job.get("jobId"), fail ? "FAILED" : "SUCCEEDED");
                    done.add(machine);
                }
            }
        }
    }

    /** Drives the wave's agents until the wave is one of these states. */
    static JsonPath drive(String waveId, Agents agents, Set<String> until) {
        await().atMost(Duration.ofMinutes(3)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    agents.round();
                    return until.contains(wave(waveId).getString("state"));
                });
        return wave(waveId);
    }

    @Test
    void theTenPercentWaveHaltsBeforeItsNextBatchAndTheTwoPercentWaveCompletes() throws SQLException {
        String site2 = TestEstate.newSite();
        String site10 = TestEstate.newSite();
        Agents two = new Agents(seedClientsToFix("r7a", site2, MACHINES), 50);
        Agents ten = new Agents(seedClientsToFix("r7b", site10, MACHINES), 10);

        String wave2 = createWave(waveRequest(Phase.CLIENTS, site2, MAX_FAILURE_RATE, "batchSize", BATCH));
        String wave10 = createWave(waveRequest(Phase.CLIENTS, site10, MAX_FAILURE_RATE, "batchSize", BATCH));
        assertThat(wave(wave10).getInt("batches")).isEqualTo(2);

        JsonPath halted = drive(wave10, ten, Set.of("HALTED", "COMPLETED"));
        JsonPath completed = drive(wave2, two, Set.of("HALTED", "COMPLETED"));

        // After the halt a whole pass of the engine, then the agents poll again: nothing more is issued.
        engine.runOnce();
        ten.roundAll();
        JsonPath after = wave(wave10);
        long laterBatchJobs = count("SELECT count(*) FROM job WHERE wave_id = ? AND batch > 1", wave10);
        System.out.printf("R7 maxFailureRate=%.2f: 2%% wave %s issued=%d failed=%d; 10%% wave %s at batch %d of %d, "
                + "issued=%d failed=%d, jobs of later batches=%d%n", MAX_FAILURE_RATE, completed.getString("state"),
                completed.getInt("counts.issued"), completed.getInt("counts.failed"), after.getString("state"),
                after.getInt("currentBatch"), after.getInt("batches"), after.getInt("counts.issued"),
                after.getInt("counts.failed"), laterBatchJobs);

        assertThat(halted.getString("state")).isEqualTo("HALTED");
        assertThat(after.getString("state")).isEqualTo("HALTED");
        assertThat(after.getString("haltedReason")).contains("above maxFailureRate 0.05", "batch 1 of 2");
        assertThat(after.getInt("counts.issued")).isEqualTo(BATCH);
        assertThat(after.getInt("counts.failed")).isEqualTo(5);
        assertThat(ten.reported).isEqualTo(BATCH);
        assertThat(laterBatchJobs).as("jobs of the 10% wave's second batch").isZero();

        assertThat(completed.getString("state")).isEqualTo("COMPLETED");
        assertThat(completed.getInt("counts.issued")).isEqualTo(MACHINES);
        assertThat(completed.getInt("counts.succeeded")).isEqualTo(MACHINES - 2);
        assertThat(completed.getInt("counts.failed")).isEqualTo(2);
        assertThat(two.failed).isEqualTo(2);
        assertThat(completed.getList("history.action")).doesNotContain("halt");
    }

    private long count(String sql, String waveId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, waveId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
