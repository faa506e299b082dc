package org.tlsrollout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the provisioned Grafana dashboard asks Prometheus for: each panel query's metric names and the labels it
 * filters or groups by, read from monitoring/grafana/dashboards/tlsrollout.json. Tests compare it with what the
 * running services export, so no panel is ever empty by mistake; chaos run R10 evaluates them in a real Prometheus.
 */
public final class DashboardQueries {
    public static final Path DASHBOARD = Path.of("monitoring/grafana/dashboards/tlsrollout.json");

    private static final Pattern METRIC = Pattern.compile("\\b(tlsrollout_[a-z0-9_]+)\\b(\\{[^}]*})?");
    private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})?\\s", Pattern.MULTILINE);
    private static final Pattern SAMPLE_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

    private DashboardQueries() {
    }

    /** One query of a panel: the panel's title and its {@code expr}. */
    public record Query(String panel, String expr) {
    }

    /** Every query ({@code expr}) of every panel of the dashboard. */
    public static List<String> expressions(Path root) throws IOException {
        return queries(root).stream().map(Query::expr).toList();
    }

    /** Every query of every panel of the dashboard, with the title of its panel, in the dashboard's order. */
    public static List<Query> queries(Path root) throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(root.resolve(DASHBOARD).toFile());
        List<Query> found = new ArrayList<>();
        collect(dashboard, "", found);
        return found;
    }

    /** For each metric a query names, the labels that query needs it to carry ({@code le} for buckets). */
    public static Map<String, Set<String>> requiredLabels(String expr) {
        Set<String> grouping = new LinkedHashSet<>();
        Matcher g = GROUPING.matcher(expr);
        while (g.find()) {
            for (String label : g.group(1).split(",")) {
                if (!label.isBlank()) {
                    grouping.add(label.trim());
                }
            }
        }
        Map<String, Set<String>> required = new LinkedHashMap<>();
        Matcher m = METRIC.matcher(expr);
        while (m.find()) {
            Set<String> labels = required.computeIfAbsent(m.group(1), k -> new LinkedHashSet<>());
            if (m.group(2) != null) {
                Matcher l = MATCHER_LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.add(l.group(1));
                }
            }
            labels.addAll(grouping);
        }
        return required;
    }

    /** The labels each metric of a Prometheus text exposition carries, over all its samples. */
    public static Map<String, Set<String>> exported(String exposition) {
        Map<String, Set<String>> metrics = new LinkedHashMap<>();
        Matcher m = SAMPLE.matcher(exposition);
        while (m.find()) {
            Set<String> labels = metrics.computeIfAbsent(m.group(1), k -> new LinkedHashSet<>());
            if (m.group(3) != null) {
                Matcher l = SAMPLE_LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.add(l.group(1));
                }
            }
        }
        return metrics;
    }

    private static void collect(JsonNode node, String panel, List<Query> found) {
        if (node.isObject()) {
            String title = node.path("title").isTextual() ? node.path("title").asText() : panel;
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("expr") && e.getValue().isTextual()) {
                    found.add(new Query(title, e.getValue().asText()));
                } else {
                    collect(e.getValue(), title, found);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, panel, found));
        }
    }
}
