package org.tlsrollout.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.platform.net.FreePorts;

class LocalKafkaBrokerTest {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int SIGTERM_EXIT_CODE = 143;
    private static final int PARTITIONS = 4;

    @TempDir
    Path tempDir;

    @Test
    void runsAsAProcessCreatesTheTopicsAndKeepsRecordsAcrossARestart() throws Exception {
        String[] args = {"--port", freePort(), "--controller-port", freePort(),
                "--data-dir", tempDir.resolve("kafka").toString(), "--partitions", String.valueOf(PARTITIONS)};
        String value = "{\"machineId\":\"m-1\"}";

        try (BrokerProcess broker = BrokerProcess.start(tempDir.resolve("first-start.log"), args)) {
            String bootstrapServers = broker.awaitReady(START_TIMEOUT);
            System.out.printf("LocalKafkaBroker first start (formats storage): spawn to ready in %d ms%n",
                    broker.millisToReady());
            Map<String, Object> admin = admin();

            assertThat(RecordRoundTrip.partitionCounts(bootstrapServers, admin, Topics.ALL))
                    .isEqualTo(Topics.ALL.stream().collect(Collectors.toMap(topic -> topic, topic -> PARTITIONS)));
            RecordRoundTrip.send(bootstrapServers, admin, Topics.SNAPSHOTS, "m-1", value);
            assertThat(RecordRoundTrip.readUntil(bootstrapServers, admin, Topics.SNAPSHOTS, value))
                    .containsExactly(value);

            assertThat(broker.stop(STOP_TIMEOUT)).isEqualTo(SIGTERM_EXIT_CODE);
            assertThat(broker.output()).endsWith("kafka stopped\n");
        }

        try (BrokerProcess broker = BrokerProcess.start(tempDir.resolve("restart.log"), args)) {
            String bootstrapServers = broker.awaitReady(START_TIMEOUT);
            System.out.printf("LocalKafkaBroker restart on the same data: spawn to ready in %d ms%n",
                    broker.millisToReady());

            assertThat(broker.output()).contains("topics: 0 created with " + PARTITIONS + " partitions each, "
                    + Topics.ALL.size() + " existed already", "ACLs (0 added, 0 removed)");
            assertThat(RecordRoundTrip.readUntil(bootstrapServers, admin(), Topics.SNAPSHOTS, value))
                    .containsExactly(value);
            assertThat(broker.stop(STOP_TIMEOUT)).isEqualTo(SIGTERM_EXIT_CODE);
        }
    }

    @Test
    void refusesAPortThatIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                BrokerProcess broker = startExpectingFailure("--port", String.valueOf(taken.getLocalPort()),
                        "--controller-port", freePort(), "--data-dir", tempDir.resolve("kafka").toString())) {
            assertThat(broker.awaitExit(START_TIMEOUT)).isEqualTo(1);
            assertThat(broker.output())
                    .contains("port " + taken.getLocalPort() + " on 127.0.0.1 (--port) is already in use");
        }
    }

    @Test
    void refusesADataDirectoryItCannotCreate() throws Exception {
        Path file = Files.createFile(tempDir.resolve("a-file"));
        try (BrokerProcess broker = startExpectingFailure("--port", freePort(), "--controller-port", freePort(),
                "--data-dir", file.resolve("kafka").toString())) {
            assertThat(broker.awaitExit(START_TIMEOUT)).isEqualTo(1);
            assertThat(broker.output()).contains("cannot create the data directory", "pass a writable --data-dir");
        }
    }

    @Test
    void refusesDataFormattedWithoutCredentials() throws Exception {
        Path logDir = Files.createDirectories(tempDir.resolve("kafka/data"));
        Files.writeString(logDir.resolve("meta.properties"), "version=1\nnode.id=1\n"); // as an earlier release left it
        try (BrokerProcess broker = startExpectingFailure("--port", freePort(), "--controller-port", freePort(),
                "--data-dir", tempDir.resolve("kafka").toString())) {
            assertThat(broker.awaitExit(START_TIMEOUT)).isEqualTo(1);
            assertThat(broker.output()).contains("was made by an earlier release, whose broker had no credentials",
                    "delete " + tempDir.resolve("kafka").toAbsolutePath(), "./tlsrollout down --wipe");
        }
    }

    @Test
    void rejectsAnUnknownOption() throws Exception {
        try (BrokerProcess broker = startExpectingFailure("--prot", "9092")) {
            assertThat(broker.awaitExit(START_TIMEOUT)).isEqualTo(2);
            assertThat(broker.output()).contains("unknown option --prot", BrokerOptions.USAGE);
        }
    }

    /** The super user's client settings, from the credentials the broker made on its first start. */
    private Map<String, Object> admin() {
        return KafkaCredentials.loadOrCreate(BrokerOptions.defaultCredentials(tempDir.resolve("kafka")))
                .clientSettings(KafkaPrincipals.ADMIN);
    }

    private BrokerProcess startExpectingFailure(String... args) throws IOException {
        return BrokerProcess.start(tempDir.resolve("failed-start.log"), args);
    }

    private static String freePort() {
        return String.valueOf(FreePorts.pick());
    }
}
