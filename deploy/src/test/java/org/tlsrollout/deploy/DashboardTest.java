package org.tlsrollout.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The rollout lead's dashboard (monitoring/grafana/dashboards/tlsrollout.json): what it must show first, and queries
 * that stay right with more than one instance per service. That every metric and label it queries is exported is
 * checked against the running services by cli's DemoIT.
 */
class DashboardTest {
    private static final Pattern METRIC = Pattern.compile("\\b(tlsrollout_[a-z0-9_]+|up)\\b(\\{[^}]*})?");
    private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
    /**
     * Published by the remediation instance holding the advisory lock, and by two while it changes hands: read with
     * max by, never summed as they are.
     */
    private static final Set<String> GAUGES = Set.of("tlsrollout_machines", "tlsrollout_waves",
            "tlsrollout_machines_never_reported", "tlsrollout_site_last_snapshot_timestamp_seconds");
    /** The metrics with a site label: each query of one honours the site variable. */
    private static final Set<String> SITE_METRICS = Set.of("tlsrollout_machines", "tlsrollout_machines_never_reported",
            "tlsrollout_jobs_total", "tlsrollout_site_last_snapshot_timestamp_seconds");

    static JsonNode dashboard() {
        try {
            return Repo.JSON.readTree(Repo.DASHBOARDS.resolve("tlsrollout.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> expressions() {
        List<String> exprs = new ArrayList<>();
        dashboard().path("panels").forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
        return exprs;
    }

    @Test
    void siteAndPhaseVariablesAndTheUiUrl() {
        Map<String, JsonNode> variables = new TreeMap<>();
        dashboard().path("templating").path("list").forEach(v -> variables.put(v.path("name").asText(), v));

        assertThat(variables).containsOnlyKeys("site", "phase", "ui_url");
        assertThat(variables.get("phase").path("definition").asText())
                .isEqualTo("label_values(tlsrollout_machines, phase)");
        assertThat(variables.get("ui_url").path("type").asText()).isEqualTo("textbox");
    }

    @Test
    void haltedWavesAndNeverReportedMachinesComeFirstWithLinksIntoTheUi() {
        List<JsonNode> topRow = new ArrayList<>();
        dashboard().path("panels").forEach(p -> {
            if (p.path("gridPos").path("y").asInt() == 0) {
                topRow.add(p);
            }
        });

        assertThat(topRow).extracting(p -> p.path("title").asText())
                .contains("Halted waves", "Never-reported machines");
        for (JsonNode panel : topRow.subList(0, 2)) {
            assertThat(panel.path("type").asText()).isEqualTo("stat");
            assertThat(panel.path("fieldConfig").path("defaults").path("links").get(0).path("url").asText())
                    .as(panel.path("title").asText()).startsWith("${ui_url}/#/");
        }
        assertThat(topRow.get(0).path("targets").get(0).path("expr").asText()).contains("state=\"HALTED\"");
        assertThat(topRow.get(1).path("targets").get(0).path("expr").asText())
                .contains("tlsrollout_machines_never_reported");
    }

    @Test
    void progressPerSiteIsOneRowPerSite() {
        List<JsonNode> tables = new ArrayList<>();
        dashboard().path("panels").forEach(p -> {
            if (p.path("type").asText().equals("table")) {
                tables.add(p);
            }
        });

        assertThat(tables).isNotEmpty().allSatisfy(table -> {
            JsonNode matrix = table.path("transformations").get(0);
            assertThat(matrix.path("id").asText()).isEqualTo("groupingToMatrix");
            assertThat(matrix.path("options").path("rowField").asText()).isEqualTo("site");
            assertThat(table.path("targets").get(0).path("format").asText()).isEqualTo("table");
        });
    }

    @Test
    void countersAreReadAsIncreaseOrRateOverGrafanasIntervals() {
        Pattern range = Pattern.compile("\\[([^\\]]+)]");
        for (String expr : expressions()) {
            Matcher r = range.matcher(expr);
            while (r.find()) {
                assertThat(r.group(1)).as(expr).isIn("$__range", "$__rate_interval");
            }
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                if (m.group(1).endsWith("_total") || m.group(1).endsWith("_bucket")) {
                    String before = expr.substring(0, m.start());
                    assertThat(before).as("a raw counter in " + expr).matches("(?s).*\\b(rate|increase)\\(\\s*$");
                }
            }
        }
    }

    @Test
    void gaugesOfRemediationAreReadWithMaxOverInstances() {
        for (String expr : expressions()) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                if (GAUGES.contains(m.group(1))) {
                    assertThat(expr.substring(0, m.start())).as(expr).matches("(?s).*\\bmax(\\s+by\\s*\\([^)]*\\))?\\s*\\(\\s*$");
                }
            }
        }
    }

    @Test
    void everyQueryOfAMetricWithASiteHonoursTheSiteVariable() {
        List<String> siteQueries = new ArrayList<>();
        for (String expr : expressions()) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                if (SITE_METRICS.contains(m.group(1))) {
                    siteQueries.add(expr);
                    assertThat(m.group(2)).as(m.group(1) + " in " + expr).isNotNull().contains("site=~\"$site\"");
                }
            }
        }
        assertThat(siteQueries).anyMatch(e -> e.contains("tlsrollout_jobs_total"))
                .anyMatch(e -> e.contains("tlsrollout_site_last_snapshot_timestamp_seconds"));
    }

    /**
     * Each alert reads only metrics and labels that the dashboard reads too: DemoIT checks the dashboard's against
     * the running services, so no alert waits on a series that does not exist.
     */
    @Test
    void alertsUseOnlyMetricsAndLabelsTheDashboardUses() {
        Map<String, Set<String>> dashboard = new TreeMap<>();
        expressions().forEach(e -> labels(e, dashboard));
        Map<String, Set<String>> alerts = new TreeMap<>();
        Repo.yaml(Repo.ALERTS).path("groups").forEach(g -> g.path("rules").forEach(r -> labels(r.path("expr").asText(), alerts)));
        alerts.remove("up"); // Prometheus' own, for every target

        assertThat(alerts).isNotEmpty();
        alerts.forEach((metric, labels) -> {
            assertThat(dashboard).as("the dashboard queries " + metric).containsKey(metric);
            assertThat(dashboard.get(metric)).as("labels of " + metric).containsAll(labels);
        });
    }

    /**
     * The metrics an expression names, and the labels it matches; also those it groups by when it names one metric
     * (with several, which metric a grouping is about is not read here).
     */
    private static void labels(String expr, Map<String, Set<String>> into) {
        Set<String> named = new TreeSet<>();
        Matcher n = METRIC.matcher(expr);
        while (n.find()) {
            named.add(n.group(1));
        }
        Set<String> grouping = new TreeSet<>();
        Matcher g = GROUPING.matcher(expr);
        while (named.size() == 1 && g.find()) {
            for (String label : g.group(1).split(",")) {
                if (!label.isBlank()) {
                    grouping.add(label.trim());
                }
            }
        }
        Matcher m = METRIC.matcher(expr);
        while (m.find()) {
            Set<String> labels = into.computeIfAbsent(m.group(1), k -> new TreeSet<>());
            if (m.group(2) != null) {
                Matcher l = MATCHER_LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.add(l.group(1));
                }
            }
            if (!m.group(1).equals("up")) {
                grouping.stream().filter(x -> !x.equals("le") || m.group(1).endsWith("_bucket")).forEach(labels::add);
            }
        }
    }
}
