package org.tlsrollout.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosRunsTest {

    @Test
    void theSuiteKnowsEachRunOnceAndFindsItByItsIdInAnyCase() {
        assertThat(ChaosRuns.all()).extracting(ChaosRun::id).containsExactly("R1", "R2", "R3", "R8", "R9", "R10");
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

    @Test
    void prometheusScrapesEveryInstanceOfEachServiceAsOneJob() {
        String config = PrometheusServer.config(List.of(new PrometheusServer.Target("rules-service", "127.0.0.1:18082"),
                new PrometheusServer.Target("collector-service", "127.0.0.1:18081"),
                new PrometheusServer.Target("rules-service", "127.0.0.1:18182")), Duration.ofSeconds(1), "http", null);

        assertThat(config).contains("scrape_interval: 1000ms")
                .contains("  - job_name: rules-service\n    metrics_path: /q/metrics\n    scheme: http\n"
                        + "    static_configs:\n      - targets: [\"127.0.0.1:18082\", \"127.0.0.1:18182\"]\n")
                .contains("  - job_name: collector-service\n")
                .doesNotContain("tls_config");
    }

    @Test
    void overHttpsPrometheusTrustsOnlyTheStacksCa() {
        String config = PrometheusServer.config(List.of(new PrometheusServer.Target("ui", "127.0.0.1:8080")),
                Duration.ofSeconds(1), "https", Path.of("/home/x/.tlsrollout/tls/ca.crt"));

        assertThat(config).contains("    scheme: https\n    tls_config:\n      ca_file: /home/x/.tlsrollout/tls/ca.crt\n");
    }

    @Test
    void theDashboardsVariablesBecomeAllSitesAllPhasesAndTheWholeRun() {
        assertThat(DashboardTotals.substitute("sum by (phase, outcome) (increase(tlsrollout_jobs_total{phase=~\"$phase\","
                + " site=~\"$site\"}[$__range])) + rate(x[$__rate_interval])", 95))
                .isEqualTo("sum by (phase, outcome) (increase(tlsrollout_jobs_total{phase=~\".*\", site=~\".*\"}[95s]))"
                        + " + rate(x[4s])");
    }

    @Test
    void gaugesMustBeEqualAndIncreasesWithinTheExtrapolationTolerance() {
        double tolerance = DashboardTotals.increaseTolerance(Duration.ofSeconds(1), 100);

        assertThat(tolerance).isCloseTo(0.022, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(DashboardTotals.agree(4000, 4000, 0)).isTrue();
        assertThat(DashboardTotals.agree(4000, 4001, 0)).isFalse();
        assertThat(DashboardTotals.agree(4074.73, 4054, tolerance)).isTrue();
        assertThat(DashboardTotals.agree(4000, 8000, tolerance)).as("a doubled total").isFalse();
        assertThat(DashboardTotals.agree(0, 0, tolerance)).isTrue();
    }
}
