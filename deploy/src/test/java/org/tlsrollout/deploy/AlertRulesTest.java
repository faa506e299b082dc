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

    /**
     * Issue 18: with two remediation instances (and two of every other service) each dashboard query gives what it
     * gives with one. The same estate is written twice, as world "one" (one instance of each service) and world
     * "two" (the estate gauges published by both remediation instances, as while the advisory lock changes hands,
     * and every counter split between two instances), and promtool checks, for every query, that both worlds give the
     * same series with the same values.
     */
    @Test
    void everyDashboardQueryGivesTheSameWithTwoInstancesAsWithOne(@TempDir Path dir) throws Exception {
        Tools.Result result = sameWithTwoInstances(dir, DashboardTest.expressions());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    /** The control: a query that sums a gauge over instances doubles in world "two", and the check says so. */
    @Test
    void aGaugeSummedOverInstancesFailsTheTwoInstanceCheck(@TempDir Path dir) throws Exception {
        Tools.Result result = sameWithTwoInstances(dir,
                List.of("sum by (site) (tlsrollout_machines{site=~\"$site\"})"));

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        // a difference of values, not a file promtool could not read
        assertThat(result.output()).contains("got:").contains("tlsrollout_machines{world=\\\"two\\\"");
    }

    private static Tools.Result sameWithTwoInstances(Path dir, List<String> exprs) throws Exception {
        StringBuilder test = new StringBuilder("evaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n");
        // Gauges: one series per world "one", the same on instances a and b in world "two".
        List<String> gauges = new java.util.ArrayList<>();
        for (String site : List.of("NYC", "LON")) {
            int base = site.equals("NYC") ? 100 : 40;
            for (String phase : List.of("CLIENTS", "SERVERS")) {
                int k = phase.equals("CLIENTS") ? 1 : 2;
                gauges.add("tlsrollout_machines{site=\"" + site + "\", phase=\"" + phase + "\", state=\"COMPLIANT\"}|" + base / k);
                gauges.add("tlsrollout_machines{site=\"" + site + "\", phase=\"" + phase + "\", state=\"NONCOMPLIANT\"}|" + 7 * k);
                gauges.add("tlsrollout_machines{site=\"" + site + "\", phase=\"" + phase + "\", state=\"STALE\"}|" + 3);
                gauges.add("tlsrollout_machines{site=\"" + site + "\", phase=\"" + phase + "\", state=\"NOT_APPLICABLE\"}|" + 5 * k);
            }
            gauges.add("tlsrollout_machines_never_reported{site=\"" + site + "\"}|" + (site.equals("NYC") ? 4 : 0));
            gauges.add("tlsrollout_site_last_snapshot_timestamp_seconds{site=\"" + site + "\"}|" + (site.equals("NYC") ? 1700 : 600));
        }
        gauges.add("tlsrollout_waves{state=\"HALTED\"}|1");
        gauges.add("tlsrollout_waves{state=\"RUNNING\"}|2");
        for (String gauge : gauges) {
            String[] g = gauge.split("\\|");
            for (String instance : List.of("one/a", "two/a", "two/b")) {
                test.append(series(g[0], instance, "remediation-service")).append(g[1]).append("x40'\n");
            }
        }
        // Counters: per minute, world "one" counts 10 on one instance; world "two" 4 on instance a and 6 on b.
        List<String> counters = new java.util.ArrayList<>();
        for (String site : List.of("NYC", "LON")) {
            for (String phase : List.of("CLIENTS", "SERVERS")) {
                for (String outcome : List.of("issued", "succeeded", "failed")) {
                    counters.add("tlsrollout_jobs_total{site=\"" + site + "\", phase=\"" + phase + "\", outcome=\"" + outcome + "\"}");
                }
            }
        }
        counters.add("tlsrollout_enrollment_conflicts_total{}");
        counters.add("tlsrollout_dead_letters_total{topic=\"tlsrollout.snapshots.v1.dlq\"}");
        counters.add("tlsrollout_snapshots_received_total{outcome=\"accepted\"}");
        counters.add("tlsrollout_snapshots_received_total{outcome=\"rejected\"}");
        counters.add("tlsrollout_evaluations_total{}");
        counters.add("tlsrollout_rule_results_total{rule=\"SCHANNEL_TLS12_CLIENT\", status=\"FAIL\"}");
        for (String counter : counters) {
            test.append(series(counter, "one/a", "any")).append("0+10x40'\n");
            test.append(series(counter, "two/a", "any")).append("0+4x40'\n");
            test.append(series(counter, "two/b", "any")).append("0+6x40'\n");
        }
        // The lag histogram: cumulative buckets, split the same way.
        String[][] buckets = {{"1.0", "5", "2", "3"}, {"60.0", "8", "3", "5"}, {"+Inf", "10", "4", "6"}};
        for (String[] b : buckets) {
            String name = "tlsrollout_evaluation_lag_seconds_bucket{le=\"" + b[0] + "\"}";
            test.append(series(name, "one/a", "rules-service")).append("0+").append(b[1]).append("x40'\n");
            test.append(series(name, "two/a", "rules-service")).append("0+").append(b[2]).append("x40'\n");
            test.append(series(name, "two/b", "rules-service")).append("0+").append(b[3]).append("x40'\n");
        }
        test.append("    promql_expr_test:\n");
        for (String expr : exprs) {
            String e = expr.replace("$__rate_interval", "5m").replace("$__range", "30m")
                    .replace("$site", ".*").replace("$phase", ".*");
            String one = inWorld(e, "one");
            String two = inWorld(e, "two");
            // the same series in both worlds (count - count is empty when either is), and no value differs
            test.append("      - expr: ").append(Repo.JSON.writeValueAsString("count(" + two + ") - count(" + one + ")"))
                    .append("\n        eval_time: 30m\n        exp_samples:\n          - labels: '{}'\n            value: 0\n");
            test.append("      - expr: ").append(Repo.JSON.writeValueAsString("abs((" + two + ") - (" + one + ")) > 0.000001"))
                    .append("\n        eval_time: 30m\n        exp_samples: []\n");
        }
        Files.writeString(dir.resolve("two-instances.test.yml"), test);
        return Tools.run(promtool, dir, "test", "rules", "two-instances.test.yml");
    }

    /** {@code name{labels}} of one world and instance ("one/a", "two/b"), as a promtool input series line. */
    private static String series(String selector, String worldInstance, String job) {
        String[] wi = worldInstance.split("/");
        String labels = selector.substring(selector.indexOf('{') + 1, selector.indexOf('}'));
        return "      - series: '" + selector.substring(0, selector.indexOf('{')) + "{world=\"" + wi[0] + "\", job=\""
                + job + "\", instance=\"" + wi[1] + "\"" + (labels.isBlank() ? "" : ", " + labels) + "}'\n        values: '";
    }

    /** The query with every tlsrollout metric restricted to one world. */
    private static String inWorld(String expr, String world) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b(tlsrollout_[a-z0-9_]+)\\b(\\{([^}]*)})?")
                .matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String inner = m.group(3) == null || m.group(3).isBlank() ? "" : ", " + m.group(3);
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(
                    m.group(1) + "{world=\"" + world + "\"" + inner + "}"));
        }
        m.appendTail(out);
        return out.toString();
    }
}
