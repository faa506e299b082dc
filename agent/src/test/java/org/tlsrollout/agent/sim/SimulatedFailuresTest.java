package org.tlsrollout.agent.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tlsrollout.agent.testing.TestJobs;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.JobClaims;
import org.tlsrollout.contracts.RegistryKeys;

class SimulatedFailuresTest {
    static final Instant NOW = Instant.parse("2026-11-19T09:30:00Z");

    static List<JobClaims> jobs() {
        List<JobClaims> jobs = new ArrayList<>();
        for (int seq = 1; seq <= 5; seq++) {
            jobs.add(TestJobs.claims("m", seq, NOW, Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1),
                    Action.installUpdate("KB3140245"), Action.restart("r")));
        }
        return jobs;
    }

    @Test
    void theRateHoldsAndTheSameSeedFailsTheSameJobs() {
        List<String> first = failing(77, 0.2);
        assertThat(first).hasSizeBetween(800, 1200); // 20 % of 5,000
        assertThat(failing(77, 0.2)).isEqualTo(first);
        assertThat(failing(78, 0.2)).isNotEqualTo(first);
        assertThat(failing(77, 0)).isEmpty();
        assertThat(failing(77, 1)).hasSize(5_000);
    }

    @Test
    void aFailingJobFailsAtOneOfItsActionsWithARealisticMessage() {
        JobClaims job = jobs().get(0);
        SimulatedFailures always = new SimulatedFailures(1, 1, 1.0);
        int at = always.failingAction(job);
        for (int i = 0; i < at; i++) {
            always.beforeAction(job, i, job.actions().get(i));
        }
        assertThatThrownBy(() -> always.beforeAction(job, at, job.actions().get(at)))
                .isInstanceOf(SimulatedFailures.SimulatedFault.class)
                .hasMessageMatching("ERROR: Access is denied.*|0x80240022 .*|restart refused.*");
    }

    @Test
    void aRateOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new SimulatedFailures(1, 1, 1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> failing(long seed, double rate) {
        List<String> failing = new ArrayList<>();
        for (int machine = 0; machine < 1_000; machine++) {
            SimulatedFailures f = new SimulatedFailures(seed, machine, rate);
            for (JobClaims job : jobs()) {
                if (f.fails(job)) {
                    failing.add(machine + "/" + job.seq());
                }
            }
        }
        return failing;
    }
}
