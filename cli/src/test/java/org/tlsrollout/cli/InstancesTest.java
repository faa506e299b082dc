package org.tlsrollout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstancesTest {

    @Test
    void furtherInstancesHaveTheirOwnPortLogAndPidAndOnlyServicesHaveThem(@TempDir Path home) {
        StackConfig config = StackConfig.fromEnvironment(home, Map.of("TLSROLLOUT_HOME", home.toString(),
                "TLSROLLOUT_RULES_PORT", "18082"));
        Instances instances = new Stack(config, new PrintStream(PrintStream.nullOutputStream())).instances()
                .declare(Component.RULES, 2, 18182);

        assertThat(instances.port(Component.RULES, 1)).isEqualTo(18082);
        assertThat(instances.port(Component.RULES, 2)).isEqualTo(18182);
        assertThat(instances.address(Component.RULES, 2)).isEqualTo("http://127.0.0.1:18182");
        assertThat(instances.log(Component.RULES, 1)).isEqualTo(Component.RULES.log(config));
        assertThat(instances.log(Component.RULES, 2)).isEqualTo(config.logs().resolve("rules-service-2.log"));
        assertThat(instances.running(Component.RULES, 2)).isEmpty();
        assertThat(instances.kill(Component.RULES, 2)).isFalse();
        assertThat(instances.stop(Component.RULES, 2)).isFalse();
        assertThatThrownBy(() -> instances.port(Component.COLLECTOR, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> instances.declare(Component.KAFKA, 2, 19092)).isInstanceOf(IllegalArgumentException.class);
    }
}
