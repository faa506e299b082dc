package org.tlsrollout.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChaosRunsTest {

    @Test
    void theSuiteKnowsEachRunOnceAndFindsItByItsIdInAnyCase() {
        assertThat(ChaosRuns.all()).extracting(ChaosRun::id).containsExactly("R1", "R2", "R3", "R8", "R9");
        assertThat(ChaosRuns.find("r3")).get().extracting(ChaosRun::id).isEqualTo("R3");
        assertThat(ChaosRuns.find("R7")).isEmpty();
    }

    @Test
    void sumsThePrometheusSamplesOfOneMetricWithTheGivenLabels() {
        String exposition = """
                # HELP tlsrollout_jobs_total Fix jobs issued
                # TYPE tlsrollout_jobs_total counter
                tlsrollout_jobs_total{outcome="issued",phase="CLIENTS",} 120.0
                tlsrollout_jobs_total{outcome="issued",phase="VERIFY",} 3.0
                tlsrollout_jobs_total{outcome="failed",phase="CLIENTS",} 7.0
                tlsrollout_jobs_total_created{outcome="issued",phase="CLIENTS",} 1.7E9
                tlsrollout_evaluations_total 42.0
                """;
        assertThat(ChaosStack.sumSamples(exposition, "tlsrollout_jobs_total", "outcome=\"issued\"")).isEqualTo(123.0);
        assertThat(ChaosStack.sumSamples(exposition, "tlsrollout_jobs_total")).isEqualTo(130.0);
        assertThat(ChaosStack.sumSamples(exposition, "tlsrollout_evaluations_total")).isEqualTo(42.0);
        assertThat(ChaosStack.sumSamples(exposition, "tlsrollout_waves")).isZero();
    }
}
