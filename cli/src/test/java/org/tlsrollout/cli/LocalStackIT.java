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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
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
 * contract/examples/README.md states. The checks leave the stack as they found it (machines of their own sites),
 * so the stack is the one DemoIT uses too ({@link SharedStack}).
 */
@ExtendWith(SharedStack.class)
class LocalStackIT {
    /** For the files the commands write (the stack's own state folder is SharedStack's). */
    @TempDir
    static Path home;
    static TestStack running;
    static StackConfig config;
    static Stack stack;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void up(TestStack shared) {
        running = shared;
        config = running.config;
        stack = running.stack;
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

    /** The output and exit code of one `./tlsrollout ...` run in-process. */
    record Run(int exit, String out, String err) {
        String text() {
            return "exit " + exit + "\n" + out + "\n" + err;
        }

        JsonNode json() throws IOException {
            return Json.MAPPER.readTree(out);
        }
    }

    /** `./tlsrollout args` against this stack, as the local stack (no URL or token in the environment). */
    private static Run cli(String... args) {
        return cli(Map.of(), args);
    }

    private static Run cli(Map<String, String> env, String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int exit = Main.commandLine(new Main(env, () -> config,
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8))).execute(args);
        return new Run(exit, out.toString(java.nio.charset.StandardCharsets.UTF_8),
                err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A Windows 7 client that needs the CLIENTS phase, enrolled and reported at {@code site}. */
    private static void reportClient(String machineId, String site) throws Exception {
        ObjectNode snapshot = (ObjectNode) Json.MAPPER.readTree(Examples.json(Examples.WIN7_CLIENT_BEFORE));
        snapshot.put("machineId", machineId).put("siteCode", site)
                .put("collectedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        JsonNode enrolled = call("POST", config.collectorUrl() + "/api/v1/agents/enroll", Json.MAPPER.writeValueAsString(
                EnrollmentRequest.signed(EnrollmentRequest.newAgentKey(), machineId, site, "it-enroll", Instant.now())),
                null, 200);
        call("POST", config.collectorUrl() + "/api/v1/snapshots", snapshot.toString(),
                enrolled.get("agentToken").asText(), 202);
        awaitMachine(machineId);
    }

    /** Issue 18.7: `waves create --dry-run`, `create`, `list`, `show`, `pause`, `cancel` on the real service. */
    @Test
    void theWaveCommandsPlanCreateListShowPauseAndCancelAWave() throws Exception {
        reportClient("OPS-0001", "OPS");
        String[] create = {"waves", "create", "--name", "ops clients", "--phase", "CLIENTS", "--sites", "OPS",
                "--batch-size", "1", "--max-failure-rate", "0.05"};

        Run plan = cli(concat(create, "--dry-run", "--json"));
        assertThat(plan.exit()).as(plan.text()).isZero();
        assertThat(plan.json().path("dryRun").asBoolean()).as(plan.out()).isTrue();
        assertThat(plan.json().path("targets").toString()).isEqualTo("[\"OPS-0001\"]");
        Run humanPlan = cli(concat(create, "--dry-run"));
        assertThat(humanPlan.out()).as(humanPlan.text()).contains("nothing created: 1 machine(s) would be targeted");

        Run created = cli(concat(create, "--json"));
        assertThat(created.exit()).as(created.text()).isZero();
        String id = created.json().path("id").asText();
        assertThat(id).isNotBlank();

        Run list = cli("waves", "list", "--json");
        assertThat(list.exit()).as(list.text()).isZero();
        JsonNode waves = list.json().isArray() ? list.json() : list.json().path("items");
        assertThat(waves.findValuesAsText("id")).contains(id);
        Run table = cli("waves", "list");
        assertThat(table.out()).as(table.text()).contains(id).contains("ops clients");

        Run show = cli("waves", "show", id);
        assertThat(show.exit()).as(show.text()).isZero();
        assertThat(show.out()).contains("wave " + id + " 'ops clients'").contains("phase CLIENTS").contains("targeted 1");

        Run paused = cli("waves", "pause", id);
        assertThat(paused.exit()).as(paused.text()).isZero();
        assertThat(paused.out()).contains("PAUSED");
        Run cancelled = cli("waves", "cancel", id, "--json");
        assertThat(cancelled.exit()).as(cancelled.text()).isZero();
        assertThat(cancelled.json().path("state").asText()).isEqualTo("CANCELLED");

        Run again = cli("waves", "pause", id);
        assertThat(again.exit()).as(again.text()).isEqualTo(1);
        assertThat(again.err()).contains("HTTP 409");
    }

    @Test
    void progressPrintsASitesPhasesOrTheApisJsonAsIs() throws Exception {
        reportClient("OPT-0001", "OPT");

        Run site = cli("progress", "--site", "OPT");
        assertThat(site.exit()).as(site.text()).isZero();
        assertThat(site.out()).contains("site OPT: 1 machines").containsPattern("CLIENTS +0 +1 ");
        Run json = cli("progress", "--json");
        assertThat(json.exit()).as(json.text()).isZero();
        assertThat(json.json().path("totals").path("CLIENTS").path("NONCOMPLIANT").asLong()).isPositive();
        Run unknown = cli("progress", "--site", "ZZ9");
        assertThat(unknown.exit()).as(unknown.text()).isEqualTo(1);
    }

    /** Exit codes: 2 usage or configuration, 1 the API refused, 3 the service could not be reached. */
    @Test
    void badArgumentsAreUsageErrorsRefusalsExitOneAndNoServiceExitsThree() throws Exception {
        Run badPhase = cli("waves", "create", "--name", "x", "--phase", "CLIENT", "--sites", "OPS",
                "--max-failure-rate", "0.05");
        assertThat(badPhase.exit()).as(badPhase.text()).isEqualTo(2);
        assertThat(badPhase.err()).contains("--phase");
        Run stateWithoutPhase = cli("machines", "export", "--csv", "--state", "NONCOMPLIANT");
        assertThat(stateWithoutPhase.exit()).as(stateWithoutPhase.text()).isEqualTo(2);
        Run urlWithoutToken = cli(Map.of(OperatorCommands.REMEDIATION_URL, config.remediationUrl()), "progress");
        assertThat(urlWithoutToken.exit()).as(urlWithoutToken.text()).isEqualTo(2);

        Run unknownWave = cli("waves", "show", "no-such-wave");
        assertThat(unknownWave.exit()).as(unknownWave.text()).isEqualTo(1);
        assertThat(unknownWave.err()).contains("HTTP 404").contains("no-such-wave");
        Run viewerActs = cli(Map.of(OperatorCommands.REMEDIATION_URL, config.remediationUrl(), Tokens.OPERATOR,
                "it-viewer"), "waves", "cancel", "no-such-wave");
        assertThat(viewerActs.exit()).as(viewerActs.text()).isEqualTo(1);
        assertThat(viewerActs.err()).contains("HTTP 403");

        int closed = org.tlsrollout.platform.net.FreePorts.pick(1)[0];
        Run nobody = cli(Map.of(OperatorCommands.REMEDIATION_URL, "http://127.0.0.1:" + closed, Tokens.VIEWER, "x"),
                "progress");
        assertThat(nobody.exit()).as(nobody.text()).isEqualTo(3);
    }

    /** api.md: `GET /api/v1/machines` with `Accept: text/csv`; skipped while remediation-service has no CSV (406). */
    @Test
    void machinesExportWritesTheCsvOfApiMd() throws Exception {
        reportClient("OPU-0001", "OPU");
        Path file = home.resolve("machines.csv");

        Run export = cli("machines", "export", "--csv", "--site", "OPU", "-o", file.toString());

        org.junit.jupiter.api.Assumptions.assumeFalse(export.exit() == 1 && export.err().contains("HTTP 406"),
                "remediation-service answers no CSV yet: " + export.err());
        assertThat(export.exit()).as(export.text()).isZero();
        List<String> lines = java.nio.file.Files.readAllLines(file);
        assertThat(lines.get(0)).isEqualTo("machineId,siteCode,machineClass,lastSnapshotAt,neverReported,retired,"
                + "CLIENTS,SITE_SYSTEMS,VERIFY,DISABLE_LEGACY");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("OPU-0001,OPU,");
        assertThat(export.out()).contains("wrote 1 machine(s)");
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
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
