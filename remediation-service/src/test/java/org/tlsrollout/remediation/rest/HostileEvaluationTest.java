package org.tlsrollout.remediation.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrollout.remediation.TestEstate.eventually;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.testing.KafkaTestResource;
import org.tlsrollout.testing.PostgresTestResource;
import org.tlsrollout.remediation.TestEstate;
import org.tlsrollout.remediation.TestRollout;

/**
 * Issue 15: whatever values an evaluation record asks for, a job the allowlist refuses (values included), or one
 * with an action its rule's catalog does not name (UNDO_JOB), is never signed; the wave's target records why.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class HostileEvaluationTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void noJobIsSignedForHostileValuesAndTheWaveSaysWhy() throws SQLException {
        String site = TestEstate.newSite();
        List<RuleResult> hostile = TestRollout.hostileFindings();
        List<EvaluationEvent> events = new ArrayList<>();
        for (RuleResult finding : hostile) {
            EvaluationEvent fine = TestRollout.clientToFix("hostile", site);
            // A legitimate finding beside the hostile one: the job as a whole is refused.
            events.add(TestRollout.evaluation(fine.machineId(), site, fine.collectedAt(), "6.1", fine.roles(),
                    fine.lastBootAt(), fine.phases(), List.of(TestRollout.schannelClientFail(), finding)));
        }
        EvaluationEvent good = TestRollout.clientToFix("fine", site);
        events.add(good);
        TestEstate.send(events.toArray(EvaluationEvent[]::new));
        TestEstate.awaitMachines(events.toArray(EvaluationEvent[]::new));

        String waveId = TestRollout.createWave(TestRollout.waveRequest(Phase.CLIENTS, site, 1.0));
        eventually().pollInterval(Duration.ofMillis(100))
                .until(() -> TestRollout.wave(waveId).getInt("counts.skipped") == hostile.size());
        assertThat(TestRollout.awaitJob(good.machineId())).containsKey("jws");
        assertThat(TestRollout.wave(waveId).getInt("counts.issued")).isEqualTo(1);

        Map<String, String> details = skipDetails(waveId);
        for (int i = 0; i < hostile.size(); i++) {
            String machine = events.get(i).machineId();
            assertThat(TestRollout.poll(machine)).as(machine).isEmpty();
            assertThat(details.get(machine)).as(hostile.get(i).actions().toString()).startsWith("not signed: ");
        }
        assertThat(details.get(events.get(6).machineId())).contains("UNDO_JOB", "catalog");
        assertThat(details.get(events.get(5).machineId())).contains("KB5000001");
        assertThat(details.get(events.get(4).machineId())).contains("0xa08");
        assertThat(countJobs(events.subList(0, hostile.size()))).isZero();
    }

    private Map<String, String> skipDetails(String waveId) throws SQLException {
        Map<String, String> details = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT machine_id, detail FROM wave_target WHERE wave_id = ? AND state = 'SKIPPED'")) {
            select.setString(1, waveId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    details.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return details;
    }

    private long countJobs(List<EvaluationEvent> events) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT count(*) FROM job WHERE machine_id = ANY(?)")) {
            select.setArray(1, c.createArrayOf("text", events.stream().map(EvaluationEvent::machineId).toArray()));
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
