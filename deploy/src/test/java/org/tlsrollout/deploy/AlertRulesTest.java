package org.tlsrollout.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * monitoring/prometheus/alerts.yml checked and unit-tested by promtool (alerts.test.yml), monitoring/prometheus.yml
 * checked with it, and the dashboard's PromQL parsed by it. Without promtool these are skipped, except on CI
 * (CI=true), where .ci/run installs it and a missing promtool is a failure.
 */
class AlertRulesTest {
    private static Path promtool;

    @BeforeAll
    static void findPromtool() {
        promtool = Tools.find("promtool");
        if (promtool == null && "true".equals(System.getenv("CI"))) {
            fail("promtool is not installed on CI: .ci/run installs Debian's prometheus package for it");
        }
        Assumptions.assumeTrue(promtool != null, "promtool is not installed (Debian: apt-get install"
                + " --no-install-recommends prometheus), so the alert rules are not checked here; CI checks them");
    }

    @Test
    void theRulesAreValid() throws Exception {
        Tools.Result result = Tools.run(promtool, Repo.ALERTS.getParent(), "check", "rules",
                Repo.ALERTS.getFileName().toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void theRulesPassTheirUnitTests() throws Exception {
        Tools.Result result = Tools.run(promtool, Repo.ALERT_TESTS.getParent(), "test", "rules",
                Repo.ALERT_TESTS.getFileName().toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertHasAUnitTest() throws IOException {
        Set<String> alerts = new TreeSet<>();
        Repo.yaml(Repo.ALERTS).path("groups").forEach(g -> g.path("rules").forEach(r -> alerts.add(r.path("alert").asText())));
        Set<String> tested = new TreeSet<>();
        Repo.yaml(Repo.ALERT_TESTS).path("tests").forEach(t -> t.path("alert_rule_test")
                .forEach(a -> {
                    if (!a.path("exp_alerts").isEmpty()) {
                        tested.add(a.path("alertname").asText());
                    }
                }));

        assertThat(tested).as("alerts that a test expects to fire").isEqualTo(alerts);
    }

    @Test
    void thePrometheusConfigurationLoadsTheRules() throws Exception {
        Tools.Result result = Tools.run(promtool, Repo.PROMETHEUS_CONFIG.getParent(), "check", "config",
                Repo.PROMETHEUS_CONFIG.getFileName().toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("1 rule files found").contains("alerts.yml");
    }

    /** Every panel query parses as PromQL once Grafana's variables are replaced by what Grafana puts there. */
    @Test
    void theDashboardsQueriesAreValidPromql(@TempDir Path dir) throws Exception {
        List<String> exprs = DashboardTest.expressions();
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < exprs.size(); i++) {
            String expr = exprs.get(i).replace("$__rate_interval", "1m").replace("$__range", "6h")
                    .replace("$site", ".*").replace("$phase", ".*");
            rules.append("      - record: dashboard:query").append(i).append('\n')
                    .append("        expr: ").append(Repo.JSON.writeValueAsString(expr)).append('\n');
        }
        Files.writeString(dir.resolve("dashboard.yml"), rules);

        Tools.Result result = Tools.run(promtool, dir, "check", "rules", "dashboard.yml");

        assertThat(result.exitCode()).as(result.output() + "\n" + rules).isZero();
    }
}
