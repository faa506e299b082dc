package org.tlsrollout.deploy;

import java.nio.file.Path;
import java.util.List;

/**
 * The two manifests made from monitoring/, so that Kubernetes and docker-compose run the same alerts and dashboard:
 * the PrometheusRule holds monitoring/prometheus/alerts.yml's groups verbatim, the ConfigMap the Grafana dashboard
 * (labelled for Grafana's dashboard sidecar, as kube-prometheus-stack runs it). DerivedManifestsTest fails when the
 * files differ from what these methods make; {@code -Dtlsrollout.regenerate=true} writes them.
 */
final class DerivedManifests {
    static final Path PROMETHEUS_RULE = Repo.BASE.resolve("monitoring/prometheusrule.yaml");
    static final Path DASHBOARD_CONFIG_MAP = Repo.BASE.resolve("monitoring/grafana-dashboard.yaml");
    static final String DASHBOARD = "tlsrollout.json";
    static final String REGENERATE = "mvn -pl deploy -am test -Dtest=DerivedManifestsTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dtlsrollout.regenerate=true";

    private DerivedManifests() {
    }

    static String prometheusRule() {
        String alerts = Repo.read(Repo.ALERTS);
        int groups = alerts.indexOf("\ngroups:");
        if (groups < 0) {
            throw new IllegalStateException(Repo.ALERTS + " has no top-level groups:");
        }
        return header("monitoring/prometheus/alerts.yml") + """
                apiVersion: monitoring.coreos.com/v1
                kind: PrometheusRule
                metadata:
                  name: tlsrollout-alerts
                  labels:
                    app.kubernetes.io/part-of: tlsrollout
                spec:
                """ + indent(alerts.substring(groups + 1), 2);
    }

    static String dashboardConfigMap() {
        String json = Repo.read(Repo.DASHBOARDS.resolve(DASHBOARD));
        return header("monitoring/grafana/dashboards/" + DASHBOARD) + """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: tlsrollout-grafana-dashboard
                  labels:
                    app.kubernetes.io/part-of: tlsrollout
                    # Grafana's dashboard sidecar (kube-prometheus-stack) loads ConfigMaps with this label
                    grafana_dashboard: "1"
                  annotations:
                    grafana_folder: tlsrollout
                data:
                  %s: |
                """.formatted(DASHBOARD) + indent(json, 4);
    }

    private static String header(String source) {
        return "# Made from " + source + " by module deploy (DerivedManifests): do not edit, edit that file, then\n"
                + "#   " + REGENERATE + "\n";
    }

    private static String indent(String text, int spaces) {
        String pad = " ".repeat(spaces);
        StringBuilder out = new StringBuilder();
        for (String line : List.of(text.split("\n", -1))) {
            out.append(line.isEmpty() ? "" : pad + line).append('\n');
        }
        // text ends with a newline: split gave a last empty line, which added one newline too many
        return out.substring(0, out.length() - 1);
    }
}
