package org.tlsrollout.remediation;

import static org.tlsrollout.remediation.TestEstate.OPERATOR_TOKEN;
import static org.tlsrollout.remediation.TestEstate.eventually;
import static org.tlsrollout.remediation.TestEstate.VIEWER_TOKEN;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.MachineClass;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;
import org.tlsrollout.contracts.Severity;

/**
 * Waves and agents for the tests, over the public API: operators create and steer waves, agents (with tokens from
 * {@link TestAgentKeys}) poll their jobs and report results. Machines are seeded as the other tests seed them:
 * evaluations on the real topic ({@link TestEstate}).
 */
public final class TestRollout {
    public static final String SCH_TLS12_CLIENT = RegistryKeys.schannel(RegistryKeys.SCH_TLS12, RegistryKeys.CLIENT);

    private TestRollout() {
    }

    // --- machines

    /** A FAIL of SCHANNEL_TLS12_CLIENT with the remediation rules-service computes: Enabled=1, DisabledByDefault=0. */
    public static RuleResult schannelClientFail() {
        return new RuleResult(RuleId.SCHANNEL_TLS12_CLIENT, RuleStatus.FAIL, Severity.ERROR, Phase.CLIENTS,
                "TLS 1.2 is off by default on OS 6.1", "001, 004",
                List.of(Action.setDword(SCH_TLS12_CLIENT, RegistryKeys.ENABLED, 1),
                        Action.setDword(SCH_TLS12_CLIENT, RegistryKeys.DISABLED_BY_DEFAULT, 0),
                        Action.restart("SChannel reads its settings at boot")));
    }

    /** A FAIL of DOTNET_STRONG_CRYPTO on NET4: SchUseStrongCrypto=1. */
    public static RuleResult strongCryptoFail() {
        return new RuleResult(RuleId.DOTNET_STRONG_CRYPTO, RuleStatus.FAIL, Severity.ERROR, Phase.CLIENTS,
                "SchUseStrongCrypto is not 1", "000, 001, 003",
                List.of(Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1),
                        Action.restart(".NET reads it at start")));
    }

    /** A FAIL of WINHTTP_DEFAULT_SECURE_PROTOCOLS with the value absent: 0xAA0. */
    public static RuleResult winHttpFail() {
        return new RuleResult(RuleId.WINHTTP_DEFAULT_SECURE_PROTOCOLS, RuleStatus.FAIL, Severity.ERROR, Phase.CLIENTS,
                "DefaultSecureProtocols is absent", "001, 002, 003",
                List.of(Action.setDword(RegistryKeys.WINHTTP, RegistryKeys.DEFAULT_SECURE_PROTOCOLS, 0xAA0),
                        Action.restart("WinHTTP reads it at start")));
    }

    /** A FAIL of SCHANNEL_LEGACY_DISABLED: the legacy protocols' values to set, then RESTART. */
    public static RuleResult legacyFail() {
        List<Action> actions = new ArrayList<>();
        for (String protocol : RegistryKeys.LEGACY_PROTOCOLS) {
            for (String side : List.of(RegistryKeys.CLIENT, RegistryKeys.SERVER)) {
                actions.add(Action.setDword(RegistryKeys.schannel(protocol, side), RegistryKeys.ENABLED, 0));
                actions.add(Action.setDword(RegistryKeys.schannel(protocol, side), RegistryKeys.DISABLED_BY_DEFAULT, 1));
            }
        }
        actions.add(Action.restart("SChannel reads its settings at boot"));
        return new RuleResult(RuleId.SCHANNEL_LEGACY_DISABLED, RuleStatus.FAIL, Severity.ERROR, Phase.DISABLE_LEGACY,
                "legacy protocols are enabled", "001, 002", actions);
    }

    private static RuleResult hostile(RuleId rule, Action action) {
        return new RuleResult(rule, RuleStatus.FAIL, rule.severity(), Phase.CLIENTS, rule + " fails", null, List.of(action));
    }

    /** Hostile values an evaluation record may carry (issue 15): each one alone keeps the job from being signed. */
    public static List<RuleResult> hostileFindings() {
        String ssl3Client = RegistryKeys.schannel(RegistryKeys.SCH_SSL3, RegistryKeys.CLIENT);
        return List.of(
                hostile(RuleId.SCHANNEL_TLS12_CLIENT, Action.setDword(SCH_TLS12_CLIENT, "Enabled", 0)),
                hostile(RuleId.SCHANNEL_TLS12_CLIENT, Action.setDword(ssl3Client, "Enabled", 1)),
                hostile(RuleId.DOTNET_STRONG_CRYPTO,
                        Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 0)),
                hostile(RuleId.WINHTTP_DEFAULT_SECURE_PROTOCOLS,
                        Action.setDword(RegistryKeys.WINHTTP, RegistryKeys.DEFAULT_SECURE_PROTOCOLS, 0xA0)),
                hostile(RuleId.WINHTTP_DEFAULT_SECURE_PROTOCOLS,
                        Action.setDword(RegistryKeys.WINHTTP, RegistryKeys.DEFAULT_SECURE_PROTOCOLS, 0xA08)),
                hostile(RuleId.WINHTTP_KB3140245, Action.installUpdate("KB5000001")),
                hostile(RuleId.SCHANNEL_TLS12_CLIENT, Action.undoJob("01HXYZ-some-job")));
    }

    /** An evaluation with every field chosen. */
    public static EvaluationEvent evaluation(String machineId, String site, Instant collectedAt, String osVersion,
            List<Role> roles, Instant lastBootAt, Map<Phase, PhaseState> phases, List<RuleResult> results) {
        return new EvaluationEvent(machineId, site, UUID.randomUUID().toString(), collectedAt, "1",
                MachineClass.of(roles), results, phases, collectedAt.plusSeconds(1), collectedAt.plusSeconds(2),
                osVersion, roles, lastBootAt, 1L);
    }

    /** A Windows 7 client NONCOMPLIANT in CLIENTS (SChannel TLS 1.2 off), COMPLIANT elsewhere. */
    public static EvaluationEvent clientToFix(String prefix, String site) {
        return evaluation(TestEstate.newMachineId(prefix), site, TestEstate.now(), "6.1", List.of(Role.CLIENT),
                TestEstate.now().minus(Duration.ofDays(1)),
                TestEstate.phases(PhaseState.NONCOMPLIANT, PhaseState.COMPLIANT, PhaseState.COMPLIANT,
                        PhaseState.COMPLIANT),
                List.of(schannelClientFail()));
    }

    /** {@code n} clients to fix at the site, sent and shown by the service. */
    public static List<String> seedClientsToFix(String prefix, String site, int n) {
        EvaluationEvent[] events = new EvaluationEvent[n];
        for (int i = 0; i < n; i++) {
            events[i] = clientToFix(prefix, site);
        }
        TestEstate.send(events);
        TestEstate.awaitMachines(events);
        List<String> ids = new ArrayList<>();
        for (EvaluationEvent e : events) {
            ids.add(e.machineId());
        }
        return ids;
    }

    // --- waves (operator)

    /** A wave request body: phase, sites and maxFailureRate, and any more members given as name, value pairs. */
    public static Map<String, Object> waveRequest(Phase phase, String site, double maxFailureRate, Object... more) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", phase + " " + site + " " + UUID.randomUUID().toString().substring(0, 4));
        body.put("phase", phase.name());
        body.put("sites", List.of(site));
        body.put("maxFailureRate", maxFailureRate);
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    public static Response postWave(Object body) {
        return RestAssured.given().auth().oauth2(OPERATOR_TOKEN).contentType(ContentType.JSON).body(body)
                .post("/api/v1/waves");
    }

    /** Creates the wave (201) and returns its id. */
    public static String createWave(Map<String, Object> body) {
        return postWave(body).then().statusCode(201).extract().path("id");
    }

    public static Response waveAction(String id, String action) {
        return RestAssured.given().auth().oauth2(OPERATOR_TOKEN).post("/api/v1/waves/" + id + "/" + action);
    }

    public static JsonPath wave(String id) {
        return RestAssured.given().auth().oauth2(VIEWER_TOKEN).get("/api/v1/waves/" + id).then().statusCode(200)
                .extract().jsonPath();
    }

    public static void awaitWaveState(String id, String state) {
        eventually().pollInterval(Duration.ofMillis(100))
                .until(() -> state.equals(wave(id).getString("state")));
    }

    // --- agents

    /** The machine's jobs as its agent polls them: [{jobId, jws}]. */
    public static List<Map<String, String>> poll(String machineId) {
        return RestAssured.given().auth().oauth2(TestAgentKeys.token(machineId))
                .get("/api/v1/agents/" + machineId + "/jobs")
                .then().statusCode(200).extract().jsonPath().getList("", (Class<Map<String, String>>) (Class<?>) Map.class);
    }

    /** The single job the machine is served (waiting for it). */
    public static Map<String, String> awaitJob(String machineId) {
        return eventually().pollInterval(Duration.ofMillis(100))
                .until(() -> poll(machineId), jobs -> !jobs.isEmpty()).get(0);
    }

    /** Of these machines, those that are served a job now. */
    public static List<String> withJobs(List<String> machineIds) {
        List<String> with = new ArrayList<>();
        for (String id : machineIds) {
            if (!poll(id).isEmpty()) {
                with.add(id);
            }
        }
        return with;
    }

    /** Waits until exactly {@code n} of these machines are served a job, and returns them. */
    public static List<String> awaitWithJobs(List<String> machineIds, int n) {
        return eventually().pollInterval(Duration.ofMillis(100))
                .until(() -> withJobs(machineIds), with -> with.size() == n);
    }

    public static Response postResult(String machineId, String jobId, Object body) {
        return RestAssured.given().auth().oauth2(TestAgentKeys.token(machineId)).contentType(ContentType.JSON)
                .body(body).post("/api/v1/agents/" + machineId + "/jobs/" + jobId + "/result");
    }

    /** Reports the outcome of the machine's job (204). */
    public static void report(String machineId, String jobId, String outcome, List<Map<String, Object>> previousValues) {
        Map<String, Object> body = new HashMap<>();
        body.put("outcome", outcome);
        body.put("detail", outcome.toLowerCase() + " in the test");
        body.put("previousValues", previousValues);
        postResult(machineId, jobId, body).then().statusCode(204);
    }

    public static void report(String machineId, String jobId, String outcome) {
        report(machineId, jobId, outcome, List.of());
    }

    /** Reports the outcome of the one job each machine is served. */
    public static void reportAll(List<String> machineIds, String outcome) {
        for (String id : machineIds) {
            Map<String, String> job = awaitJob(id);
            report(id, job.get("jobId"), outcome);
        }
    }

    public static Map<String, Object> previous(String key, String name, Long value) {
        Map<String, Object> v = new HashMap<>();
        v.put("key", key);
        v.put("name", name);
        v.put("value", value);
        return v;
    }

    /** The payload of a JWS, unverified (to look at; JobSignatureTest verifies). */
    public static JsonNode payload(String jws) {
        try {
            return Json.MAPPER.readTree(new String(Base64.getUrlDecoder().decode(jws.split("\\.")[1]),
                    StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
