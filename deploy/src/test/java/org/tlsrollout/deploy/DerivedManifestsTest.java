package org.tlsrollout.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The PrometheusRule and the dashboard's ConfigMap are what monitoring/ makes of them: one source, no drift. */
class DerivedManifestsTest {
    private static final boolean REGENERATE = Boolean.getBoolean("tlsrollout.regenerate");

    @Test
    void thePrometheusRuleHoldsTheAlertsOfMonitoring() throws IOException {
        check(DerivedManifests.PROMETHEUS_RULE, DerivedManifests::prometheusRule);

        JsonNode rule = Repo.yaml(DerivedManifests.PROMETHEUS_RULE);
        assertThat(rule.path("spec").path("groups")).isEqualTo(Repo.yaml(Repo.ALERTS).path("groups"));
    }

    @Test
    void theDashboardConfigMapHoldsTheDashboardOfMonitoring() throws IOException {
        check(DerivedManifests.DASHBOARD_CONFIG_MAP, DerivedManifests::dashboardConfigMap);

        JsonNode configMap = Repo.yaml(DerivedManifests.DASHBOARD_CONFIG_MAP);
        assertThat(Repo.JSON.readTree(configMap.path("data").path(DerivedManifests.DASHBOARD).asText()))
                .isEqualTo(Repo.JSON.readTree(Repo.DASHBOARDS.resolve(DerivedManifests.DASHBOARD).toFile()));
    }

    private static void check(Path file, Supplier<String> made) throws IOException {
        if (REGENERATE) {
            Files.writeString(file, made.get());
        }
        assertThat(Repo.read(file)).as(Repo.ROOT.relativize(file) + " is out of date: " + DerivedManifests.REGENERATE)
                .isEqualTo(made.get());
    }
}
