package org.tlsrollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reading of dashboard queries and of Prometheus' text format that DemoIT relies on. */
class DashboardQueriesTest {

    @Test
    void aQueryNeedsTheLabelsItFiltersAndGroupsBy() {
        Map<String, Set<String>> required = DashboardQueries.requiredLabels(
                "sum by (phase) (tlsrollout_machines{site=~\"$site\", state=~\"COMPLIANT\"}) "
                        + "/ sum by (phase) (tlsrollout_machines{site=~\"$site\"})");

        assertThat(required).containsOnlyKeys("tlsrollout_machines");
        assertThat(required.get("tlsrollout_machines")).containsExactlyInAnyOrder("site", "state", "phase");
    }

    @Test
    void aHistogramQueryNeedsTheBucketSeriesAndItsLe() {
        Map<String, Set<String>> required = DashboardQueries.requiredLabels(
                "histogram_quantile(0.99, sum by (le) (rate(tlsrollout_evaluation_lag_seconds_bucket[5m])))");

        assertThat(required).containsOnlyKeys("tlsrollout_evaluation_lag_seconds_bucket");
        assertThat(required.get("tlsrollout_evaluation_lag_seconds_bucket")).containsExactly("le");
    }

    @Test
    void theExpositionGivesEachSeriesItsLabels() {
        Map<String, Set<String>> exported = DashboardQueries.exported("""
                # HELP tlsrollout_jobs_total jobs
                # TYPE tlsrollout_jobs_total counter
                tlsrollout_jobs_total{outcome="issued",phase="CLIENTS"} 3.0
                tlsrollout_jobs_total{outcome="succeeded",phase="CLIENTS"} 2.0
                jvm_threads_live_threads 20.0
                """);

        assertThat(exported).containsOnlyKeys("tlsrollout_jobs_total", "jvm_threads_live_threads");
        assertThat(exported.get("tlsrollout_jobs_total")).containsExactlyInAnyOrder("outcome", "phase");
        assertThat(exported.get("jvm_threads_live_threads")).isEmpty();
    }

    @Test
    void theProvisionedDashboardHasQueriesThatNameMetrics() throws Exception {
        var expressions = DashboardQueries.expressions(TestStack.ROOT);

        assertThat(expressions).hasSizeGreaterThanOrEqualTo(10)
                .allSatisfy(expr -> assertThat(DashboardQueries.requiredLabels(expr)).isNotEmpty());
    }
}
