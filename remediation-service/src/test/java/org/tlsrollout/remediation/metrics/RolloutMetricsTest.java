package org.tlsrollout.remediation.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.tlsrollout.remediation.TestEstate.PATIENCE;
import static org.tlsrollout.remediation.TestEstate.allPhases;
import static org.tlsrollout.remediation.TestEstate.awaitMachines;
import static org.tlsrollout.remediation.TestEstate.evaluation;
import static org.tlsrollout.remediation.TestEstate.newMachineId;
import static org.tlsrollout.remediation.TestEstate.newSite;
import static org.tlsrollout.remediation.TestEstate.now;
import static org.tlsrollout.remediation.TestEstate.phases;
import static org.tlsrollout.remediation.TestEstate.send;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.platform.testing.KafkaTestResource;
import org.tlsrollout.platform.testing.PostgresTestResource;

/** tlsrollout_machines{site, phase, state} on /q/metrics, as api.md names it. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class RolloutMetricsTest {
    private static final Pattern SAMPLE = Pattern.compile("^tlsrollout_machines\\{([^}]*)\\} (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    @Inject
    RolloutMetrics metrics;

    @Test
    void countsMachinesPerSitePhaseAndState() {
        String site = newSite();
        EvaluationEvent m1 = evaluation(newMachineId("g1"), site, now(), allPhases(PhaseState.COMPLIANT));
        EvaluationEvent m2 = evaluation(newMachineId("g2"), site, now(), allPhases(PhaseState.COMPLIANT));
        EvaluationEvent m3 = evaluation(newMachineId("g3"), site, now(),
                phases(PhaseState.NONCOMPLIANT, PhaseState.NOT_APPLICABLE, PhaseState.UNKNOWN, PhaseState.NONCOMPLIANT));
        EvaluationEvent stale = evaluation(newMachineId("g4"), site, now().minus(Duration.ofDays(20)),
                allPhases(PhaseState.COMPLIANT));
        send(m1, m2, m3, stale);
        awaitMachines(m1, m2, m3, stale);

        metrics.refresh();

        String text = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(text).contains("# TYPE tlsrollout_machines gauge");
        Map<Map<String, String>, Double> samples = samples(text);
        assertThat(samples).isNotEmpty();
        assertThat(samples.keySet()).allSatisfy(labels -> assertThat(labels).containsOnlyKeys("site", "phase", "state"));
        assertThat(value(samples, site, Phase.CLIENTS, PhaseState.COMPLIANT)).isEqualTo(2.0);
        assertThat(value(samples, site, Phase.CLIENTS, PhaseState.NONCOMPLIANT)).isEqualTo(1.0);
        assertThat(value(samples, site, Phase.CLIENTS, PhaseState.STALE)).isEqualTo(1.0);
        assertThat(value(samples, site, Phase.SITE_SYSTEMS, PhaseState.NOT_APPLICABLE)).isEqualTo(1.0);
        assertThat(value(samples, site, Phase.VERIFY, PhaseState.UNKNOWN)).isEqualTo(1.0);
        assertThat(value(samples, site, Phase.DISABLE_LEGACY, PhaseState.NONCOMPLIANT)).isEqualTo(1.0);
        // Every state of every phase of the site has a series, 0 included.
        assertThat(value(samples, site, Phase.VERIFY, PhaseState.PENDING_RESTART)).isEqualTo(0.0);
        double machines = 0;
        for (PhaseState state : PhaseState.values()) {
            machines += value(samples, site, Phase.VERIFY, state);
        }
        assertThat(machines).isEqualTo(4.0);
    }

    @Test
    void theScheduledRefreshPicksUpNewMachines() {
        String site = newSite();
        EvaluationEvent machine = evaluation(newMachineId("sched"), site, now(), allPhases(PhaseState.UNKNOWN));
        send(machine);
        awaitMachines(machine);

        // remediation.metrics-refresh is 1s in the test profile; nothing here calls refresh().
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(
                value(samples(RestAssured.get("/q/metrics").asString()), site, Phase.CLIENTS, PhaseState.UNKNOWN))
                .isEqualTo(1.0));
    }

    private static Map<Map<String, String>, Double> samples(String text) {
        Map<Map<String, String>, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (sample.matches()) {
                Map<String, String> labels = new LinkedHashMap<>();
                Matcher label = LABEL.matcher(sample.group(1));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
                samples.put(labels, Double.parseDouble(sample.group(2)));
            }
        }
        return samples;
    }

    private static Double value(Map<Map<String, String>, Double> samples, String site, Phase phase, PhaseState state) {
        return samples.get(Map.of("site", site, "phase", phase.name(), "state", state.name()));
    }
}
