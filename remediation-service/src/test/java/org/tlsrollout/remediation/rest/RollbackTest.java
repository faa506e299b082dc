package org.tlsrollout.remediation.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.tlsrollout.remediation.TestEstate.awaitMachines;
import static org.tlsrollout.remediation.TestEstate.newMachineId;
import static org.tlsrollout.remediation.TestEstate.newSite;
import static org.tlsrollout.remediation.TestEstate.now;
import static org.tlsrollout.remediation.TestEstate.send;
import static org.tlsrollout.remediation.TestRollout.SCH_TLS12_CLIENT;
import static org.tlsrollout.remediation.TestRollout.awaitJob;
import static org.tlsrollout.remediation.TestRollout.awaitWaveState;
import static org.tlsrollout.remediation.TestRollout.createWave;
import static org.tlsrollout.remediation.TestRollout.payload;
import static org.tlsrollout.remediation.TestRollout.poll;
import static org.tlsrollout.remediation.TestRollout.previous;
import static org.tlsrollout.remediation.TestRollout.report;
import static org.tlsrollout.remediation.TestRollout.wave;
import static org.tlsrollout.remediation.TestRollout.waveAction;
import static org.tlsrollout.remediation.TestRollout.waveRequest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.ActionType;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.testing.KafkaTestResource;
import org.tlsrollout.testing.PostgresTestResource;
import org.tlsrollout.remediation.TestEstate;
import org.tlsrollout.remediation.TestRollout;
import org.tlsrollout.remediation.wave.WaveEngine;

/**
 * POST /api/v1/waves/{id}/rollback: a new wave whose signed jobs undo, by id (UNDO_JOB), the jobs of the wave that
 * succeeded, then restart; never values (rules.md).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class RollbackTest {
    private static final String DSP = RegistryKeys.DEFAULT_SECURE_PROTOCOLS;

    @Inject
    WaveEngine engine;

    private static EvaluationEvent client(String prefix, String site, String os) {
        return TestRollout.evaluation(newMachineId(prefix), site, now(), os, List.of(Role.CLIENT),
                now().minus(Duration.ofDays(1)),
                TestEstate.phases(PhaseState.NONCOMPLIANT, PhaseState.NOT_APPLICABLE, PhaseState.COMPLIANT,
                        PhaseState.NOT_APPLICABLE),
                List.of(TestRollout.schannelClientFail(), TestRollout.strongCryptoFail(), TestRollout.winHttpFail()));
    }

    @Test
    void aRollbackUndoesTheSucceededJobsByIdAndNeverSendsValues() {
        String site = newSite();
        EvaluationEvent win7 = client("rb7", site, "6.1");
        EvaluationEvent win10 = client("rb10", site, "10.0.19045");
        EvaluationEvent failedEarly = client("rbfail", site, "6.1");
        EvaluationEvent failedLate = client("rbhalf", site, "6.1");
        send(win7, win10, failedEarly, failedLate);
        awaitMachines(win7, win10, failedEarly, failedLate);

        String waveId = createWave(waveRequest(Phase.CLIENTS, site, 1.0, "batchSize", 10));
        Map<String, String> job7 = awaitJob(win7.machineId());
        assertThat(actions(job7.get("jws"))).extracting(a -> a.path("type").asText()).containsExactly(
                "SET_REGISTRY_DWORD", "SET_REGISTRY_DWORD", "SET_REGISTRY_DWORD", "SET_REGISTRY_DWORD", "RESTART");
        // Not while it runs.
        waveAction(waveId, "rollback").then().statusCode(409).contentType("application/problem+json");

        report(win7.machineId(), job7.get("jobId"), "SUCCEEDED", List.of(
                previous(SCH_TLS12_CLIENT, "Enabled", null),
                previous(SCH_TLS12_CLIENT, "DisabledByDefault", null),
                previous(RegistryKeys.NET4, "SchUseStrongCrypto", 0L),
                previous(RegistryKeys.WINHTTP, DSP, null)));
        String job10 = awaitJob(win10.machineId()).get("jobId");
        // Reports no previous value at all: its job is undone all the same, from the agent's own undo log.
        report(win10.machineId(), job10, "SUCCEEDED", List.of());
        report(failedEarly.machineId(), awaitJob(failedEarly.machineId()).get("jobId"), "FAILED", List.of());
        report(failedLate.machineId(), awaitJob(failedLate.machineId()).get("jobId"), "FAILED", List.of(
                previous(SCH_TLS12_CLIENT, "Enabled", null)));
        awaitWaveState(waveId, "COMPLETED");
        String originalName = wave(waveId).getString("name");

        io.restassured.response.Response created = waveAction(waveId, "rollback");
        created.then().statusCode(201).body("state", is("PLANNED"));
        JsonPath rollback = created.jsonPath();
        String rollbackId = rollback.getString("id");
        assertThat(created.header("Location")).endsWith("/api/v1/waves/" + rollbackId);
        assertThat(rollback.getString("name")).isEqualTo("Rollback of " + originalName);
        assertThat(rollback.getString("rollbackOf")).isEqualTo(waveId);
        assertThat(rollback.getString("phase")).isEqualTo("CLIENTS");
        assertThat(rollback.getList("sites")).containsExactly(site);
        assertThat(rollback.getInt("batchSize")).isEqualTo(10);
        // Only the machines whose job succeeded.
        assertThat(rollback.getInt("counts.targeted")).isEqualTo(2);
        assertThat(rollback.getString("history[0].detail")).contains("UNDO_JOB", "not undone");
        assertThat(wave(waveId).getList("history.action")).contains("rollback");

        JsonNode r7 = payload(awaitJob(win7.machineId()).get("jws"));
        assertThat(r7.path("wave").asText()).isEqualTo(rollbackId);
        assertThat(r7.path("rules")).extracting(JsonNode::asText).containsExactlyInAnyOrder("SCHANNEL_TLS12_CLIENT",
                "DOTNET_STRONG_CRYPTO", "WINHTTP_DEFAULT_SECURE_PROTOCOLS");
        assertThat(actionsOf(r7)).containsExactly(Action.undoJob(job7.get("jobId")),
                Action.restart("rollback of wave " + waveId
                        + ": the restored registry values take effect after a restart"));
        JsonNode r10 = payload(awaitJob(win10.machineId()).get("jws"));
        assertThat(actionsOf(r10)).extracting(Action::type).containsExactly(ActionType.UNDO_JOB, ActionType.RESTART);
        assertThat(actionsOf(r10).get(0).jobId()).isEqualTo(job10);
        // Nothing for the machines whose job failed.
        engine.runOnce();
        assertThat(poll(failedEarly.machineId())).isEmpty();
        assertThat(poll(failedLate.machineId())).isEmpty();

        for (EvaluationEvent m : List.of(win7, win10)) {
            report(m.machineId(), awaitJob(m.machineId()).get("jobId"), "SUCCEEDED");
        }
        awaitWaveState(rollbackId, "COMPLETED");
        assertThat(wave(rollbackId).getInt("counts.succeeded")).isEqualTo(2);
    }

    @Test
    void anUnknownWaveCannotBeRolledBack() {
        waveAction("no-such-wave", "rollback").then().statusCode(404).contentType("application/problem+json");
    }

    private static List<JsonNode> actions(String jws) {
        List<JsonNode> actions = new ArrayList<>();
        payload(jws).path("actions").forEach(actions::add);
        return actions;
    }

    private static List<Action> actionsOf(JsonNode claims) {
        List<Action> all = new ArrayList<>();
        for (JsonNode a : claims.path("actions")) {
            all.add(Json.MAPPER.convertValue(a, Action.class));
        }
        return all;
    }
}
