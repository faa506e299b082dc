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
import org.tlsrollout.platform.kafka.KafkaPrincipals;

/**
 * docker-compose.yml as written would start (checked by Debian's docker-compose, which `.ci/run` installs
 * without an engine), commits no secret, serves every service HTTPS-only with TLS 1.3 and 1.2 behind one entry
 * point, runs Kafka with SASL/SCRAM and the local broker's ACLs and PostgreSQL with a role that is not a superuser,
 * restarts and health-checks every long-running service, and Prometheus scrapes every service it runs, over HTTPS
 * trusting the private CA.
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
        assertThat(result.output().lines().toList()).contains("kafka", "kafka-init", "postgres", "collector-service",
                "rules-service", "remediation-service", "ui", "proxy", "prometheus", "grafana");
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

    /** Issue 18: whatever stops on its own comes back, and each says whether it is well; kafka-init runs once. */
    @Test
    void everyLongRunningServiceRestartsUnlessStoppedAndHasAHealthcheck() throws Exception {
        JsonNode services = resolvedCompose().path("services");
        List<String> oneShot = new ArrayList<>();
        services.fields().forEachRemaining(e -> {
            String restart = e.getValue().path("restart").asText();
            if (restart.equals("no")) {
                oneShot.add(e.getKey());
                return;
            }
            assertThat(restart).as(e.getKey() + " restart").isEqualTo("unless-stopped");
            assertThat(e.getValue().path("healthcheck").path("test")).as(e.getKey() + " healthcheck").isNotEmpty();
        });
        assertThat(oneShot).containsExactly("kafka-init");
    }

    @Test
    void kafkaKeepsItsDataOnItsVolume() throws Exception {
        JsonNode kafka = resolvedCompose().path("services").path("kafka");
        String logDirs = kafka.path("environment").path("KAFKA_LOG_DIRS").asText();
        assertThat(logDirs).isNotBlank();
        assertThat(volumes(kafka)).contains("kafka-data:" + logDirs + ":rw");
    }

    /** api.md, "Kafka topics": as the local broker (platform's LocalKafkaBroker, KafkaAuthorizationTest). */
    @Test
    void kafkaAuthenticatesEveryClientAndAuthorizesEachServiceAsItsOwnPrincipal() throws Exception {
        JsonNode services = resolvedCompose().path("services");
        JsonNode kafka = services.path("kafka").path("environment");
        assertThat(kafka.path("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").asText().split(","))
                .as("no PLAINTEXT listener, so no anonymous client").allMatch(l -> l.endsWith(":SASL_PLAINTEXT"));
        assertThat(kafka.path("KAFKA_LISTENER_NAME_CLIENT_SASL_ENABLED_MECHANISMS").asText()).isEqualTo("SCRAM-SHA-512");
        assertThat(kafka.path("KAFKA_AUTHORIZER_CLASS_NAME").asText())
                .isEqualTo("org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        assertThat(kafka.path("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND").asText()).isEqualTo("false");
        assertThat(kafka.path("KAFKA_SUPER_USERS").asText()).isEqualTo(KafkaPrincipals.user(KafkaPrincipals.ADMIN));
        java.util.Set<String> passwords = new java.util.HashSet<>();
        for (Component c : Component.values()) {
            if (c.kafkaPrincipal() == null) {
                continue;
            }
            JsonNode env = services.path(c.displayName()).path("environment");
            assertThat(env.path("TLSROLLOUT_KAFKA_SECURITY_PROTOCOL").asText()).as(c.displayName()).isEqualTo("SASL_PLAINTEXT");
            assertThat(env.path("TLSROLLOUT_KAFKA_USER").asText()).as(c.displayName()).isEqualTo(c.kafkaPrincipal());
            assertThat(passwords.add(env.path("TLSROLLOUT_KAFKA_PASSWORD").asText())).as(c.displayName()
                    + " has a password of its own").isTrue();
        }
        assertThat(services.path("ui").path("environment").has("TLSROLLOUT_KAFKA_PASSWORD")).isFalse();
    }

    @Test
    void composeGivesTheAclsOfTheLocalBroker() throws IOException {
        String script = Files.readString(ROOT.resolve("tools/compose/kafka.sh"));
        String table = script.substring(script.indexOf("ACLS=\"") + 6, script.indexOf("\"", script.indexOf("ACLS=\"") + 6));
        List<String> compose = table.lines().map(String::strip).filter(l -> !l.isEmpty())
                .map(l -> String.join(" ", l.split("\\s+")).toLowerCase(java.util.Locale.ROOT)).sorted().toList();
        List<String> local = KafkaPrincipals.acls().stream().map(acl -> String.join(" ",
                acl.entry().principal().substring("User:".length()), acl.entry().operation().name(),
                acl.pattern().resourceType().name(), acl.pattern().name()).toLowerCase(java.util.Locale.ROOT))
                .sorted().toList();
        assertThat(compose).isEqualTo(local);
    }

    /** The ACLs cover what each service's channels read and write, and its consumer groups (application.properties). */
    @Test
    void theAclsGiveEachServiceWhatItsChannelsUse() throws IOException {
        for (Component c : Component.values()) {
            if (c.kafkaPrincipal() == null) {
                continue;
            }
            java.util.Properties p = new java.util.Properties();
            try (var in = Files.newBufferedReader(ROOT.resolve(c.displayName() + "/src/main/resources/application.properties"))) {
                p.load(in);
            }
            List<String> needed = new ArrayList<>();
            for (String key : p.stringPropertyNames()) {
                String value = p.getProperty(key).trim();
                if (key.matches("mp\\.messaging\\.incoming\\.[^.]+\\.topic")) {
                    needed.add("READ TOPIC " + value);
                } else if (key.matches("mp\\.messaging\\.incoming\\.[^.]+\\.group\\.id")) {
                    needed.add("READ GROUP " + value);
                } else if (key.matches("mp\\.messaging\\.outgoing\\.[^.]+\\.topic")
                        || key.matches("mp\\.messaging\\.incoming\\.[^.]+\\.dead-letter-queue\\.topic")) {
                    needed.add("WRITE TOPIC " + value);
                }
            }
            List<String> allowed = KafkaPrincipals.acls().stream()
                    .filter(acl -> acl.entry().principal().equals(KafkaPrincipals.user(c.kafkaPrincipal())))
                    .map(acl -> acl.entry().operation() + " " + acl.pattern().resourceType() + " " + acl.pattern().name())
                    .toList();
            assertThat(needed).as(c.displayName()).isNotEmpty();
            assertThat(allowed).as(c.displayName() + " (" + c.kafkaPrincipal() + ")").containsAll(needed);
            assertThat(p.getProperty("kafka.security.protocol")).as(c.displayName())
                    .isEqualTo("${TLSROLLOUT_KAFKA_SECURITY_PROTOCOL:PLAINTEXT}");
        }
    }

    /** Issue 18: one entry point, so that `docker compose up --scale <service>=2` has no port to fight over. */
    @Test
    void noServicePublishesAPortOnlyTheProxyWhichServesHttpsToEveryInstance() throws Exception {
        JsonNode services = resolvedCompose().path("services");
        for (Component c : Component.values()) {
            if (c != Component.KAFKA) {
                assertThat(services.path(c.displayName()).path("ports")).as(c.displayName() + " ports").isEmpty();
            }
        }
        JsonNode proxy = services.path("proxy");
        List<Integer> published = new ArrayList<>();
        proxy.path("ports").forEach(port -> published.add(port.path("published").asInt()));
        assertThat(published).containsExactlyInAnyOrder(Component.UI.port(defaults()), Component.COLLECTOR.port(defaults()),
                Component.REMEDIATION.port(defaults()));
        assertThat(volumes(proxy)).contains(ROOT.resolve("certs/server.crt") + ":/certs/server.crt:ro",
                ROOT.resolve("certs/server.key") + ":/certs/server.key:ro", ROOT.resolve("certs/ca.crt") + ":/certs/ca.crt:ro")
                .noneMatch(v -> v.contains("ca.key"));
        String nginx = Files.readString(ROOT.resolve("tools/compose/nginx.conf"));
        assertThat(nginx).contains("ssl_protocols TLSv1.2 TLSv1.3;", "proxy_ssl_verify on;",
                "proxy_ssl_trusted_certificate /certs/ca.crt;", "resolver 127.0.0.11");
        for (Component c : List.of(Component.UI, Component.COLLECTOR, Component.REMEDIATION)) {
            assertThat(nginx).contains("listen " + c.port(defaults()) + " ssl;",
                    "https://" + c.displayName() + ":" + c.port(defaults()) + ";", "proxy_ssl_name " + c.displayName() + ";");
        }
    }

    /** Issue 15: the services' role owns the database and is not the superuser. */
    @Test
    void theServicesConnectAsTheRoleThatOwnsTheDatabaseNotAsTheSuperuser() throws Exception {
        JsonNode services = resolvedCompose().path("services");
        for (Component c : Component.values()) {
            if (c.usesDatabase()) {
                assertThat(services.path(c.displayName()).path("environment").path("TLSROLLOUT_DB_USER").asText())
                        .as(c.displayName()).isEqualTo("tlsrollout");
            }
        }
        JsonNode postgres = services.path("postgres");
        assertThat(postgres.path("environment").path("POSTGRES_USER").asText("postgres")).isNotEqualTo("tlsrollout");
        assertThat(volumes(postgres)).contains(ROOT.resolve("tools/compose/postgres-init.sh")
                + ":/docker-entrypoint-initdb.d/10-tlsrollout.sh:ro");
        assertThat(Files.readString(ROOT.resolve("tools/compose/postgres-init.sh")))
                .contains("CREATE ROLE tlsrollout LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE",
                        "CREATE DATABASE tlsrollout OWNER tlsrollout");
    }

    private static List<String> volumes(JsonNode service) {
        List<String> volumes = new ArrayList<>();
        service.path("volumes").forEach(v -> volumes.add(v.isTextual() ? v.asText()
                : v.path("source").asText() + ":" + v.path("target").asText() + (v.path("read_only").asBoolean() ? ":ro" : ":rw")));
        return volumes;
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
                "TLSROLLOUT_VIEWER_TOKEN", "y", "TLSROLLOUT_ENROLL_SECRET", "z", "TLSROLLOUT_DB_PASSWORD", "w"));
    }
}
