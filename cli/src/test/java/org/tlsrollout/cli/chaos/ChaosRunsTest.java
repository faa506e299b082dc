package org.tlsrollout.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tlsrollout.cli.Component;
import org.tlsrollout.cli.Stack;
import org.tlsrollout.cli.StackConfig;

class ChaosRunsTest {

    @Test
    void theSuiteHasR1R2R3R8R9OnceEach() {
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

    @Test
    void furtherInstancesHaveTheirOwnPortLogAndOnlyServicesHaveThem(@org.junit.jupiter.api.io.TempDir Path home) {
        StackConfig config = StackConfig.fromEnvironment(home, Map.of("TLSROLLOUT_HOME", home.toString(),
                "TLSROLLOUT_RULES_PORT", "18082"));
        Stack stack = new Stack(config, new PrintStream(PrintStream.nullOutputStream())).withInstance(Component.RULES, 2, 18182);
        assertThat(stack.port(Component.RULES, 1)).isEqualTo(18082);
        assertThat(stack.port(Component.RULES, 2)).isEqualTo(18182);
        assertThat(stack.log(Component.RULES, 2)).isEqualTo(config.logs().resolve("rules-service-2.log"));
        assertThat(stack.running(Component.RULES, 2)).isEmpty();
        assertThat(stack.kill(Component.RULES, 2)).isFalse();
        assertThatThrownBy(() -> stack.port(Component.COLLECTOR, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> stack.withInstance(Component.KAFKA, 2, 19092)).isInstanceOf(IllegalArgumentException.class);
    }
}
