package org.tlsrollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml as written would start (checked by Debian's docker-compose, which `.ci/run` installs
 * without an engine), commits no secret, and Prometheus scrapes every service it runs.
 */
class DeploymentFilesTest {
    static final Path ROOT = Path.of(System.getProperty("tlsrollout.root", "..")).toAbsolutePath().normalize();

    record Result(int exitCode, String output) {
    }

    static Result compose(Path envFile, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker-compose", "--project-directory", ROOT.toString()));
        if (envFile != null) {
            command.addAll(List.of("--env-file", envFile.toString()));
        }
        command.addAll(List.of("-f", ROOT.resolve("docker-compose.yml").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("TLSROLLOUT_") || k.endsWith("_PASSWORD"));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError("docker-compose is not installed: apt-get install --no-install-recommends "
                    + "docker-compose (.ci/run does it)", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("docker-compose finished").isTrue();
        return new Result(process.exitValue(), output);
    }

    @Test
    void composeAcceptsTheFileWithTheExampleEnvironment() throws Exception {
        Result result = compose(ROOT.resolve(".env.example"), "config", "-q");
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void composeRefusesToStartWithoutItsSecrets(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.env"), "");
        Result result = compose(empty, "config", "-q");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).containsPattern("set (TLSROLLOUT|POSTGRES|GRAFANA)_[A-Z_]+ in .env");
    }

    @Test
    void composeRunsKafkaPostgresEveryServicePrometheusAndGrafana() throws Exception {
        Result result = compose(ROOT.resolve(".env.example"), "config", "--services");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output().lines().toList()).contains("kafka", "kafka-topics", "postgres", "collector-service",
                "rules-service", "remediation-service", "ui", "prometheus", "grafana");
    }

    @Test
    void prometheusScrapesEveryServiceAtItsPort() throws IOException {
        String scrape = Files.readString(ROOT.resolve("monitoring/prometheus.yml"));
        for (Component c : Component.values()) {
            if (c != Component.KAFKA && c != Component.UI) {
                assertThat(scrape).contains("\"" + c.displayName() + ":" + c.port(defaults()) + "\"");
            }
        }
    }

    @Test
    void nothingCommittedHoldsARealSecret() throws IOException {
        assertThat(Files.readString(ROOT.resolve(".env.example"))).contains("change-me");
        assertThat(Files.readString(ROOT.resolve(".gitignore")).lines()).contains(".env");
    }

    private static StackConfig defaults() {
        return StackConfig.fromEnvironment(ROOT, java.util.Map.of("TLSROLLOUT_OPERATOR_TOKEN", "x",
                "TLSROLLOUT_VIEWER_TOKEN", "y", "TLSROLLOUT_ENROLL_SECRET", "z"));
    }
}
