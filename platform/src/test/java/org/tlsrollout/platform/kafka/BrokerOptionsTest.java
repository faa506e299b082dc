package org.tlsrollout.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class BrokerOptionsTest {

    @Test
    void defaultsToTheContractPorts() {
        assertThat(BrokerOptions.parse())
                .isEqualTo(new BrokerOptions(9092, 9093, Path.of(".tlsrollout", "kafka"), 12,
                        Path.of(".tlsrollout", "kafka", "credentials.properties")));
    }

    @Test
    void readsEveryFlag() {
        assertThat(BrokerOptions.parse("--port", "19092", "--controller-port", "19093", "--data-dir", "/tmp/k",
                "--partitions", "3", "--credentials", "/tmp/c"))
                .isEqualTo(new BrokerOptions(19092, 19093, Path.of("/tmp/k"), 3, Path.of("/tmp/c")));
        assertThat(BrokerOptions.parse("--data-dir", "/tmp/k").credentials())
                .as("next to the data it protects, by default").isEqualTo(Path.of("/tmp/k/credentials.properties"));
    }

    @Test
    void explainsWhatIsWrong() {
        assertThatIllegalArgumentException().isThrownBy(() -> BrokerOptions.parse("--port"))
                .withMessage("--port needs a value");
        assertThatIllegalArgumentException().isThrownBy(() -> BrokerOptions.parse("--port", "x"))
                .withMessage("--port needs a number, was 'x'");
        assertThatIllegalArgumentException().isThrownBy(() -> BrokerOptions.parse("--port", "9093"))
                .withMessage("--port and --controller-port must differ, both are 9093");
        assertThatIllegalArgumentException().isThrownBy(() -> BrokerOptions.parse("--partitions", "0"))
                .withMessage("--partitions must be at least 1, was 0");
    }
}
