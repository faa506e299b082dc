package org.tlsrollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
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
 * without an engine), commits no secret, serves every service HTTPS-only with TLS 1.3 and 1.2, and Prometheus
 * scrapes every service it runs, over HTTPS trusting the private CA.
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
        assertThat(Files.readString(ROOT.resolve(".gitignore")).lines()).contains(".env", "certs/");
    }

    /** decisions.md, "HTTPS only, TLS 1.2 and 1.3": docker-compose.yml as docker-compose resolves it. */
    @Test
    void everyServiceServesHttpsOnlyWithTls13And12AndItsCertificateMountedReadOnly() throws Exception {
        JsonNode services = resolvedCompose().path("services");
        for (Component c : Component.values()) {
            if (c == Component.KAFKA) {
                continue;
            }
            JsonNode service = services.path(c.displayName());
            JsonNode env = service.path("environment");
            String port = Integer.toString(c.port(defaults()));
            assertThat(env.path("QUARKUS_HTTP_INSECURE_REQUESTS").asText()).as(c.displayName()).isEqualTo("disabled");
            assertThat(env.path("QUARKUS_TLS_PROTOCOLS").asText()).as(c.displayName()).isEqualTo("TLSv1.3,TLSv1.2");
            assertThat(env.path("QUARKUS_HTTP_SSL_PORT").asText()).as(c.displayName()).isEqualTo(port);
            // The same settings as `./tlsrollout up --tls` gives the local processes.
            assertThat(iterable(env.fieldNames())).as(c.displayName())
                    .containsAll(LocalTls.environment(defaults(), c.port(defaults())).keySet());

            List<String> volumes = new ArrayList<>();
            service.path("volumes").forEach(v -> volumes.add(v.isTextual() ? v.asText()
                    : v.path("source").asText() + ":" + v.path("target").asText() + (v.path("read_only").asBoolean() ? ":ro" : "")));
            for (String file : List.of("server.crt", "server.key", "ca.crt")) {
                assertThat(volumes).as(c.displayName() + " mounts " + file + " read-only")
                        .contains(ROOT.resolve("certs").resolve(file) + ":/certs/" + file + ":ro");
            }
            assertThat(volumes).as(c.displayName() + " never gets the CA's key").noneMatch(v -> v.contains("ca.key"));
            assertThat(env.path("QUARKUS_TLS_KEY_STORE_PEM_SERVER_CERT").asText()).isEqualTo("/certs/server.crt");
            assertThat(env.path("QUARKUS_TLS_KEY_STORE_PEM_SERVER_KEY").asText()).isEqualTo("/certs/server.key");
            assertThat(env.path("TLSROLLOUT_TLS_CA").asText()).isEqualTo("/certs/ca.crt");

            List<String> healthcheck = new ArrayList<>();
            service.path("healthcheck").path("test").forEach(t -> healthcheck.add(t.asText()));
            assertThat(healthcheck).as(c.displayName() + " healthcheck").containsSubsequence("--cacert", "/certs/ca.crt")
                    .contains("https://localhost:" + port + "/q/health/ready");
        }
    }

    @Test
    void serviceToServiceCallsUseHttpsAndTrustTheCa() throws Exception {
        JsonNode services = resolvedCompose().path("services");
        assertThat(services.path("remediation-service").path("environment").path("TLSROLLOUT_COLLECTOR_URL").asText())
                .isEqualTo("https://collector-service:8081");
        assertThat(services.path("ui").path("environment").path("TLSROLLOUT_REMEDIATION_URL").asText())
                .isEqualTo("https://remediation-service:8083");
        // Both read TLSROLLOUT_TLS_CA (checked above) into the setting that pins the CA.
        assertThat(Files.readString(ROOT.resolve("remediation-service/src/main/resources/application.properties")))
                .contains("tlsrollout.auth.agent-jwks-ca-file=${TLSROLLOUT_TLS_CA:}");
        assertThat(Files.readString(ROOT.resolve("ui/src/main/resources/application.properties")))
                .contains("ui.remediation-ca-file=${TLSROLLOUT_TLS_CA:}");
    }

    @Test
    void prometheusScrapesOverHttpsTrustingTheCa() throws Exception {
        JsonNode scrape = YAML.readTree(ROOT.resolve("monitoring/prometheus.yml").toFile()).path("scrape_configs");
        assertThat(scrape).isNotEmpty();
        for (JsonNode job : scrape) {
            assertThat(job.path("scheme").asText()).as(job.path("job_name").asText()).isEqualTo("https");
            assertThat(job.path("tls_config").path("ca_file").asText()).isEqualTo("/etc/prometheus/certs/ca.crt");
            assertThat(job.path("tls_config").path("insecure_skip_verify").asBoolean()).isFalse();
        }
        List<String> volumes = new ArrayList<>();
        resolvedCompose().path("services").path("prometheus").path("volumes").forEach(v -> volumes.add(v.asText()));
        assertThat(volumes).contains(ROOT.resolve("certs/ca.crt") + ":/etc/prometheus/certs/ca.crt:ro");
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode resolvedCompose() throws Exception {
        Result result = compose(ROOT.resolve(".env.example"), "config");
        assertThat(result.exitCode()).as(result.output()).isZero();
        return YAML.readTree(result.output());
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    private static StackConfig defaults() {
        return StackConfig.fromEnvironment(ROOT, java.util.Map.of("TLSROLLOUT_OPERATOR_TOKEN", "x",
                "TLSROLLOUT_VIEWER_TOKEN", "y", "TLSROLLOUT_ENROLL_SECRET", "z"));
    }
}
