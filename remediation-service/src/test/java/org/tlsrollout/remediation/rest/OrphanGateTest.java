package org.tlsrollout.remediation.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.tlsrollout.remediation.TestEstate.awaitMachines;
import static org.tlsrollout.remediation.TestEstate.newMachineId;
import static org.tlsrollout.remediation.TestEstate.newSite;
import static org.tlsrollout.remediation.TestEstate.now;
import static org.tlsrollout.remediation.TestEstate.phases;
import static org.tlsrollout.remediation.TestEstate.send;
import static org.tlsrollout.remediation.TestRollout.awaitJob;
import static org.tlsrollout.remediation.TestRollout.createWave;
import static org.tlsrollout.remediation.TestRollout.legacyFail;
import static org.tlsrollout.remediation.TestRollout.postWave;
import static org.tlsrollout.remediation.TestRollout.report;
import static org.tlsrollout.remediation.TestRollout.wave;
import static org.tlsrollout.remediation.TestRollout.waveRequest;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.testing.KafkaTestResource;
import org.tlsrollout.testing.PostgresTestResource;
import org.tlsrollout.remediation.TestEstate;
import org.tlsrollout.remediation.TestRollout;

/**
 * rules.md, "The orphan gate": a DISABLE_LEGACY wave for a site whose machines are not all ready is refused with 409
 * problem details (counts per phase, blocking ids); stale machines block unless acknowledged; PENDING_RESTART is not
 * ready. And the dry run, which answers the plan and the gate and writes nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class OrphanGateTest {

    @Inject
    AgroalDataSource dataSource;

    /** A site system that is done with the ENABLE and VERIFY phases and has legacy protocols to disable. */
    private static EvaluationEvent server(String machineId, String site, Instant collectedAt, PhaseState clients,
            PhaseState siteSystems, PhaseState verify) {
        List<RuleResult> results = List.of(legacyFail());
        return TestRollout.evaluation(machineId, site, collectedAt, "6.3", List.of(Role.MANAGEMENT_POINT),
                collectedAt.minus(Duration.ofHours(1)),
                phases(clients, siteSystems, verify, PhaseState.NONCOMPLIANT), results);
    }

    private static EvaluationEvent ready(String prefix, String site) {
        return server(newMachineId(prefix), site, now(), PhaseState.NOT_APPLICABLE, PhaseState.COMPLIANT,
                PhaseState.COMPLIANT);
    }

    @Test
    void refusesWhileMachinesAreNotReadyAndOpensOnceTheyAre() {
        String site = newSite();
        EvaluationEvent ready = ready("gok", site);
        EvaluationEvent clientNotDone = server("gb1-" + newMachineId("x"), site, now(), PhaseState.NONCOMPLIANT,
                PhaseState.COMPLIANT, PhaseState.COMPLIANT);
        EvaluationEvent twoPhases = server("gb2-" + newMachineId("x"), site, now(), PhaseState.COMPLIANT,
                PhaseState.NONCOMPLIANT, PhaseState.UNKNOWN);
        send(ready, clientNotDone, twoPhases);
        awaitMachines(ready, clientNotDone, twoPhases);

        JsonPath refusal = postWave(waveRequest(Phase.DISABLE_LEGACY, site, 0.1)).then().statusCode(409)
                .contentType("application/problem+json")
                .body("status", is(409))
                .body("type", is("urn:tlsrollout:problem:orphan-gate"))
                .extract().jsonPath();
        assertThat(refusal.getInt("blocking.total")).isEqualTo(2);
        assertThat(refusal.getMap("blocking.byPhase")).containsOnly(Map.entry("CLIENTS", 1), Map.entry("SITE_SYSTEMS", 1),
                Map.entry("VERIFY", 1));
        assertThat(refusal.getInt("blocking.stale")).isZero();
        assertThat(refusal.getList("machines")).containsExactly(clientNotDone.machineId(), twoPhases.machineId());
        assertThat(refusal.getString("detail")).contains(site, "not ready for DISABLE_LEGACY");
        assertThat(waveCount(site)).as("nothing created").isZero();

        // The machines become ready (newer evaluations): the gate opens.
        EvaluationEvent clientDone = server(clientNotDone.machineId(), site, now().plusSeconds(1),
                PhaseState.COMPLIANT, PhaseState.COMPLIANT, PhaseState.COMPLIANT);
        EvaluationEvent bothDone = server(twoPhases.machineId(), site, now().plusSeconds(1), PhaseState.COMPLIANT,
                PhaseState.NOT_APPLICABLE, PhaseState.COMPLIANT);
        send(clientDone, bothDone);
        awaitMachines(clientDone, bothDone);

        String id = createWave(waveRequest(Phase.DISABLE_LEGACY, site, 0.1));
        JsonPath created = wave(id);
        assertThat(created.getString("phase")).isEqualTo("DISABLE_LEGACY");
        assertThat(created.getInt("counts.targeted")).isEqualTo(3);
        assertThat(created.getBoolean("acknowledgeStale")).isFalse();
        // Three management points of one site: one a batch, never two restarting together.
        assertThat(created.getInt("batches")).isEqualTo(3);
        String first = TestRollout.awaitWithJobs(List.of(ready.machineId(), clientDone.machineId(),
                bothDone.machineId()), 1).get(0);
        // The jobs disable the legacy protocols, then restart.
        assertThat(TestRollout.payload(awaitJob(first).get("jws")).path("actions").size()).isEqualTo(13);
    }

    @Test
    void staleMachinesBlockUnlessTheWaveAcknowledgesThem() {
        String site = newSite();
        EvaluationEvent fresh = ready("sfresh", site);
        EvaluationEvent stale = server(newMachineId("sold"), site, now().minus(Duration.ofDays(20)),
                PhaseState.COMPLIANT, PhaseState.COMPLIANT, PhaseState.COMPLIANT);
        send(fresh, stale);
        awaitMachines(fresh, stale);

        JsonPath refusal = postWave(waveRequest(Phase.DISABLE_LEGACY, site, 0.1)).then().statusCode(409)
                .extract().jsonPath();
        assertThat(refusal.getInt("blocking.total")).isEqualTo(1);
        assertThat(refusal.getInt("blocking.stale")).isEqualTo(1);
        assertThat(refusal.getMap("blocking.byPhase")).containsOnly(Map.entry("CLIENTS", 0),
                Map.entry("SITE_SYSTEMS", 0), Map.entry("VERIFY", 0));
        assertThat(refusal.getList("machines")).containsExactly(stale.machineId());

        String id = createWave(waveRequest(Phase.DISABLE_LEGACY, site, 0.1, "acknowledgeStale", true));
        JsonPath created = wave(id);
        assertThat(created.getBoolean("acknowledgeStale")).isTrue();
        assertThat(created.getString("history[0].detail")).contains("stale machines acknowledged");
        // The stale machine is not targeted: only the fresh one.
        assertThat(created.getInt("counts.targeted")).isEqualTo(1);
    }

    @Test
    void aMachinePendingRestartIsNotReady() {
        String site = newSite();
        EvaluationEvent client = TestRollout.evaluation(newMachineId("gpend"), site, now(), "6.1", List.of(Role.CLIENT),
                now().minus(Duration.ofDays(1)),
                phases(PhaseState.NONCOMPLIANT, PhaseState.NOT_APPLICABLE, PhaseState.COMPLIANT,
                        PhaseState.NOT_APPLICABLE),
                List.of(TestRollout.schannelClientFail()));
        EvaluationEvent server = ready("gsrv", site);
        send(client, server);
        awaitMachines(client, server);

        createWave(waveRequest(Phase.CLIENTS, site, 0.5));
        report(client.machineId(), awaitJob(client.machineId()).get("jobId"), "SUCCEEDED");
        // Its snapshot shows the values set, but the restart has not happened.
        EvaluationEvent notRestarted = TestRollout.evaluation(client.machineId(), site, now().plusSeconds(1), "6.1",
                List.of(Role.CLIENT), client.lastBootAt(),
                phases(PhaseState.COMPLIANT, PhaseState.NOT_APPLICABLE, PhaseState.COMPLIANT,
                        PhaseState.NOT_APPLICABLE), List.of());
        send(notRestarted);
        awaitMachines(notRestarted);

        JsonPath plan = postWave(waveRequest(Phase.DISABLE_LEGACY, site, 0.1, "dryRun", true)).then().statusCode(200)
                .extract().jsonPath();
        assertThat(plan.getBoolean("gate.open")).isFalse();
        assertThat(plan.getInt("gate.blocking.byPhase.CLIENTS")).isEqualTo(1);
        assertThat(plan.getList("gate.machines")).containsExactly(client.machineId());

        // It restarted: the gate opens.
        EvaluationEvent restarted = TestRollout.evaluation(client.machineId(), site, now().plusSeconds(2), "6.1",
                List.of(Role.CLIENT), Instant.now().plusSeconds(1), notRestarted.phases(), List.of());
        send(restarted);
        awaitMachines(restarted);
        postWave(waveRequest(Phase.DISABLE_LEGACY, site, 0.1, "dryRun", true)).then().statusCode(200)
                .body("gate.open", is(true))
                .body("gate.blocking.total", is(0));
    }

    @Test
    void aDisableLegacyWaveHaltsWhenTheGateClosesBeforeItsNextBatchButItsRollbackIsNotHeld() {
        String site = newSite();
        EvaluationEvent first = ready("gh1", site);
        EvaluationEvent second = ready("gh2", site);
        send(first, second);
        awaitMachines(first, second);
        String id = createWave(waveRequest(Phase.DISABLE_LEGACY, site, 0.5, "batchSize", 1));
        List<String> servers = List.of(first.machineId(), second.machineId());
        String done = TestRollout.awaitWithJobs(servers, 1).get(0);
        String waiting = done.equals(first.machineId()) ? second.machineId() : first.machineId();

        // A client joins the site before TLS 1.2 is enabled on it: disabling legacy on more servers would orphan it.
        EvaluationEvent newcomer = TestRollout.clientToFix("gnew", site);
        send(newcomer);
        awaitMachines(newcomer);
        report(done, awaitJob(done).get("jobId"), "SUCCEEDED",
                List.of(TestRollout.previous(org.tlsrollout.contracts.RegistryKeys.schannel("TLS 1.0", "Server"),
                        "Enabled", null)));
        TestRollout.awaitWaveState(id, "HALTED");
        JsonPath halted = wave(id);
        assertThat(halted.getString("haltedReason")).contains("orphan gate closed before batch 2", newcomer.machineId());
        assertThat(TestRollout.poll(waiting)).isEmpty();

        // Resumed while the gate is still closed: halted again, nothing issued.
        TestRollout.waveAction(id, "resume").then().statusCode(200);
        TestRollout.awaitWaveState(id, "HALTED");
        assertThat(TestRollout.poll(waiting)).isEmpty();

        // Rolling the wave back re-enables what it disabled: the gate does not hold the rollback.
        String rollback = TestRollout.waveAction(id, "rollback").then().statusCode(201).extract().path("id");
        assertThat(TestRollout.payload(awaitJob(done).get("jws")).path("wave").asText()).isEqualTo(rollback);
        report(done, awaitJob(done).get("jobId"), "SUCCEEDED");
        TestRollout.awaitWaveState(rollback, "COMPLETED");

        // The newcomer is ready: resumed, the wave goes on.
        EvaluationEvent ready = TestRollout.evaluation(newcomer.machineId(), site, now().plusSeconds(1), "6.1",
                List.of(Role.CLIENT), Instant.now(), TestEstate.allPhases(PhaseState.COMPLIANT), List.of());
        send(ready);
        awaitMachines(ready);
        TestRollout.waveAction(id, "resume").then().statusCode(200);
        awaitJob(waiting);
    }

    @Test
    void aDryRunAnswersThePlanAndTheGateAndChangesNothing() throws SQLException {
        String site = newSite();
        EvaluationEvent ready = ready("dok", site);
        EvaluationEvent notReady = server(newMachineId("dno"), site, now(), PhaseState.NONCOMPLIANT,
                PhaseState.COMPLIANT, PhaseState.COMPLIANT);
        List<EvaluationEvent> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clients.add(TestRollout.clientToFix("dcl", site));
        }
        send(ready, notReady);
        send(clients.toArray(EvaluationEvent[]::new));
        awaitMachines(ready, notReady);
        awaitMachines(clients.toArray(EvaluationEvent[]::new));
        Map<String, Long> before = rowCounts(site);

        // DISABLE_LEGACY while a machine is not ready: 200 with the closed gate, not 409.
        JsonPath closed = postWave(waveRequest(Phase.DISABLE_LEGACY, site, 0.1, "dryRun", true, "percent", 50))
                .then().statusCode(200).contentType("application/json").extract().jsonPath();
        assertThat(closed.getBoolean("dryRun")).isTrue();
        assertThat(closed.getString("phase")).isEqualTo("DISABLE_LEGACY");
        assertThat(closed.getList("sites")).containsExactly(site);
        assertThat(closed.getInt("targeted")).isEqualTo(2);
        assertThat(closed.getInt("batchSize")).isEqualTo(1);
        assertThat(closed.getInt("batches")).isEqualTo(2);
        assertThat(closed.getBoolean("gate.open")).isFalse();
        // The clients still to fix block too: the gate covers every machine of the site.
        assertThat(closed.getInt("gate.blocking.total")).isEqualTo(6);
        assertThat(closed.getInt("gate.blocking.byPhase.CLIENTS")).isEqualTo(6);
        assertThat(closed.getList("gate.machines", String.class)).contains(notReady.machineId()).hasSize(6).isSorted();

        // Another phase: the gate does not apply.
        JsonPath clientsPlan = postWave(waveRequest(Phase.CLIENTS, site, 0.1, "dryRun", true, "batchSize", 2))
                .then().statusCode(200).extract().jsonPath();
        assertThat(clientsPlan.getInt("targeted")).isEqualTo(6);
        assertThat(clientsPlan.getInt("batches")).isEqualTo(3);
        assertThat(clientsPlan.getBoolean("gate.open")).isTrue();
        assertThat(clientsPlan.getInt("gate.blocking.total")).isZero();
        assertThat(clientsPlan.getList("gate.machines")).isEmpty();
        assertThat(clientsPlan.getList("targets")).hasSize(6);

        assertThat(rowCounts(site)).isEqualTo(before);
        assertThat(before.get("wave")).isZero();
    }

    /** Rows that a wave of the site would write. */
    private Map<String, Long> rowCounts(String site) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("wave", waveCount(site));
        counts.put("wave_target", count("SELECT count(*) FROM wave_target t JOIN machine m USING (machine_id)"
                + " WHERE m.site_code = ?", site));
        counts.put("wave_event", count("SELECT count(*) FROM wave_event e JOIN wave w ON w.id = e.wave_id"
                + " WHERE ? = ANY(w.sites)", site));
        counts.put("job", count("SELECT count(*) FROM job WHERE site_code = ?", site));
        counts.put("outbox", count("SELECT count(*) FROM outbox o CROSS JOIN unnest(o.message_keys) AS k(machine_id)"
                + " JOIN machine m USING (machine_id) WHERE m.site_code = ?", site));
        counts.put("job_seq", count("SELECT coalesce(sum(s.job_seq), 0) FROM machine_job_seq s"
                + " JOIN machine m USING (machine_id) WHERE m.site_code = ?", site));
        return counts;
    }

    private long waveCount(String site) {
        try {
            return count("SELECT count(*) FROM wave WHERE ? = ANY(sites)", site);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String sql, String site) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, site);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
