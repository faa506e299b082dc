package org.tlsrollout.cli;

import org.tlsrollout.contracts.EnrollmentRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tlsrollout.contracts.Examples;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.platform.io.PrivateFiles;
import org.tlsrollout.platform.kafka.KafkaPrincipals;

/**
 * The whole system as `./tlsrollout up` runs it: a Kafka broker process and the three packaged services, on free
 * ports and a database of its own. A snapshot goes in over HTTP at the collector, through real Kafka (SASL/SCRAM,
 * each service as its own principal) and the rules, into PostgreSQL, and comes back out of remediation-service as
 * contract/examples/README.md states.
 */
class LocalStackIT {
    @TempDir
    static Path home;
    static TestStack running;
    static StackConfig config;
    static Stack stack;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void up() throws IOException {
        running = TestStack.up(home);
        config = running.config;
        stack = running.stack;
    }

    @AfterAll
    static void down() {
        if (running != null) {
            running.close();
        }
    }

    static List<Arguments> examples() {
        return List.of(
                Arguments.of(Examples.WIN7_CLIENT_BEFORE,
                        Set.of("WINHTTP_KB3140245", "WINHTTP_DEFAULT_SECURE_PROTOCOLS", "SCHANNEL_TLS12_CLIENT",
                                "DOTNET_VERSION", "DOTNET_STRONG_CRYPTO", "DOTNET_SYSTEM_DEFAULT_TLS", "TLS12_HANDSHAKE"),
                        Map.of("CLIENTS", "NONCOMPLIANT", "SITE_SYSTEMS", "NOT_APPLICABLE", "VERIFY", "NONCOMPLIANT")),
                Arguments.of(Examples.WIN10_CLIENT_DONE, Set.of(),
                        Map.of("CLIENTS", "COMPLIANT", "SITE_SYSTEMS", "NOT_APPLICABLE", "VERIFY", "COMPLIANT")),
                Arguments.of(Examples.SERVER2012R2_PRIMARY_SITE, Set.of("SCHANNEL_LEGACY_DISABLED"),
                        Map.of("CLIENTS", "NOT_APPLICABLE", "SITE_SYSTEMS", "COMPLIANT", "VERIFY", "COMPLIANT",
                                "DISABLE_LEGACY", "NONCOMPLIANT")));
    }

    @ParameterizedTest
    @MethodSource("examples")
    void anExampleSnapshotSentAsAnAgentComesBackAsTheContractSays(String example, Set<String> failing,
            Map<String, String> phases) throws Exception {
        ObjectNode snapshot = (ObjectNode) Json.MAPPER.readTree(Examples.json(example));
        snapshot.put("collectedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        String machineId = snapshot.get("machineId").asText();

        JsonNode enrolled = call("POST", config.collectorUrl() + "/api/v1/agents/enroll", Json.MAPPER.writeValueAsString(
                EnrollmentRequest.signed(EnrollmentRequest.newAgentKey(), machineId, snapshot.get("siteCode").asText(),
                        "it-enroll", Instant.now())),
                null, 200);
        call("POST", config.collectorUrl() + "/api/v1/snapshots", snapshot.toString(),
                enrolled.get("agentToken").asText(), 202);

        JsonNode machine = awaitMachine(machineId);
        Set<String> fails = new HashSet<>();
        machine.get("findings").forEach(f -> {
            if ("FAIL".equals(f.get("status").asText())) {
                fails.add(f.get("ruleId").asText());
            }
        });
        assertThat(fails).isEqualTo(failing);
        phases.forEach((phase, state) -> assertThat(machine.get("phases").get(phase).asText()).as(phase).isEqualTo(state));
    }

    @Test
    void upAgainChangesNothing() {
        Map<Component, Long> before = pids();

        stack.up();

        assertThat(pids()).isEqualTo(before);
        assertThat(running.output.toString()).contains("already running");
        assertThat(stack.status()).allSatisfy(s -> assertThat(s.ready()).as(s.component().displayName()).isTrue());
    }

    /** api.md, "Kafka topics": without credentials, the stack's broker tells nothing (as `kcat -L` would find). */
    @Test
    void kafkaAnswersNoClientWithoutCredentialsAndEachServiceHasItsOwn() throws Exception {
        try (Admin anonymous = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000))) {
            assertThatThrownBy(() -> anonymous.listTopics().names().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        }
        try (Admin admin = Admin.create(config.kafkaClient(KafkaPrincipals.ADMIN))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).containsAll(Topics.ALL);
        }
        assertThat(PrivateFiles.isOwnerOnly(config.kafkaCredentialsFile())).isTrue();
        assertThat(PrivateFiles.isOwnerOnly(config.kafkaData().resolve("server.properties"))).isTrue();
        assertThat(Stack.tail(Component.REMEDIATION.log(config), 10_000)).as("remediation-service's log")
                .doesNotContain(config.kafkaCredentials().password(KafkaPrincipals.REMEDIATION));
    }

    /** Issue 15: the services (remediation, the collector) connect as the stack's own role, not a superuser. */
    @Test
    void theServicesConnectToPostgresqlAsARoleThatIsNotASuperuser() throws Exception {
        try (Connection admin = DriverManager.getConnection(running.database.jdbcUrl(), running.database.username(),
                running.database.password());
                Statement st = admin.createStatement();
                ResultSet rs = st.executeQuery("SELECT DISTINCT a.usename, r.rolsuper FROM pg_stat_activity a JOIN"
                        + " pg_roles r ON r.rolname = a.usename WHERE a.datname = current_database()"
                        + " AND a.pid <> pg_backend_pid()")) {
            assertThat(rs.next()).as("the services' connections").isTrue();
            assertThat(rs.getString(1)).isEqualTo(config.dbUser());
            assertThat(rs.getBoolean(2)).as("superuser").isFalse();
            assertThat(rs.next()).as("another role").isFalse();
        }
    }

    private static Map<Component, Long> pids() {
        Map<Component, Long> pids = new java.util.EnumMap<>(Component.class);
        stack.status().forEach(s -> pids.put(s.component(), s.pid()));
        return pids;
    }

    private static JsonNode awaitMachine(String machineId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = send("GET", config.remediationUrl() + "/api/v1/machines/" + machineId, null,
                    "it-viewer");
            if (response.statusCode() == 200) {
                return Json.MAPPER.readTree(response.body());
            }
            assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
            Thread.sleep(200);
        }
        throw new AssertionError(machineId + " did not reach remediation-service in 60 s");
    }

    private static JsonNode call(String method, String url, String body, String token, int expected) throws Exception {
        HttpResponse<String> response = send(method, url, body, token);
        assertThat(response.statusCode()).as(method + " " + url + ": " + response.body()).isEqualTo(expected);
        return Json.MAPPER.readTree(response.body());
    }

    private static HttpResponse<String> send(String method, String url, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
