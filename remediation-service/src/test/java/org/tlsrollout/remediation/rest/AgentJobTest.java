package org.tlsrollout.remediation.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.tlsrollout.remediation.TestEstate.awaitMachines;
import static org.tlsrollout.remediation.TestEstate.eventually;
import static org.tlsrollout.remediation.TestEstate.execute;
import static org.tlsrollout.remediation.TestEstate.get;
import static org.tlsrollout.remediation.TestEstate.newSite;
import static org.tlsrollout.remediation.TestEstate.now;
import static org.tlsrollout.remediation.TestEstate.send;
import static org.tlsrollout.remediation.TestRollout.awaitJob;
import static org.tlsrollout.remediation.TestRollout.createWave;
import static org.tlsrollout.remediation.TestRollout.poll;
import static org.tlsrollout.remediation.TestRollout.postResult;
import static org.tlsrollout.remediation.TestRollout.previous;
import static org.tlsrollout.remediation.TestRollout.report;
import static org.tlsrollout.remediation.TestRollout.seedClientsToFix;
import static org.tlsrollout.remediation.TestRollout.wave;
import static org.tlsrollout.remediation.TestRollout.waveRequest;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.JobEvent;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.testing.KafkaTestResource;
import org.tlsrollout.testing.PostgresTestResource;
import org.tlsrollout.testing.TopicRecords;
import org.tlsrollout.remediation.TestAgentKeys;
import org.tlsrollout.remediation.TestEstate;
import org.tlsrollout.remediation.TestRollout;
import org.tlsrollout.remediation.job.JobMarks;
import org.tlsrollout.remediation.outbox.OutboxRelay;

/**
 * The agent endpoints: polling, reporting (idempotent), another machine's jobs, malformed results, PENDING_RESTART,
 * and the jobs in the machine view.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class AgentJobTest {

    @Inject
    OutboxRelay relay;

    @Inject
    JobMarks marks;

    @Inject
    AgroalDataSource dataSource;

    /**
     * A job that another instance issued (its row stored, no mark here) is not served until its ISSUED event is read
     * from the job-events topic: the poll of an unmarked machine reads nothing from PostgreSQL. Once the job is
     * reported, the next poll finds none and clears the mark.
     */
    @Test
    void aJobIssuedByAnotherInstanceIsServedOnceItsIssuedEventIsRead() throws Exception {
        String site = newSite();
        String here = seedClientsToFix("here", site, 1).get(0);
        String elsewhere = seedClientsToFix("elsewhere", newSite(), 1).get(0); // in no wave
        createWave(waveRequest(Phase.CLIENTS, site, 0.5));
        String jobId = awaitJob(here).get("jobId");
        eventually().until(marks::ready);
        // The job of `elsewhere`, as another instance would have stored it: a copy of this one's row.
        String copied = "elsewhere-" + jobId;
        execute(dataSource, "INSERT INTO job (id, wave_id, machine_id, batch, seq, phase, site_code, rules, actions, kid,"
                + " jws, state, restart, issued_at, expires_at) SELECT '" + copied + "', wave_id, '" + elsewhere
                + "', batch, seq, phase, site_code, rules, actions, kid, jws, state, restart, issued_at, expires_at"
                + " FROM job WHERE id = '" + jobId + "'");

        assertThat(poll(elsewhere)).as("no mark, no read of the stored job").isEmpty();

        TestEstate.send(List.of(new ProducerRecord<>(Topics.JOB_EVENTS, elsewhere, Json.MAPPER.writeValueAsString(
                new JobEvent(UUID.randomUUID().toString(), JobEvent.Kind.ISSUED, copied, null, elsewhere, site,
                        Phase.CLIENTS, 1, List.of(), Instant.now(), null)))));
        assertThat(eventually().until(() -> poll(elsewhere), jobs -> !jobs.isEmpty()))
                .extracting(job -> job.get("jobId")).containsExactly(copied);

        execute(dataSource, "UPDATE job SET state = 'SUCCEEDED', reported_at = now() WHERE id = '" + copied + "'");
        assertThat(poll(elsewhere)).isEmpty();
        assertThat(marks.lookup(elsewhere)).as("cleared by the poll that found none").isEqualTo(JobMarks.NONE);
    }

    @Test
    void reportingTheSameJobTwiceIsHarmless() {
        String site = newSite();
        String machine = seedClientsToFix("twice", site, 1).get(0);
        String waveId = createWave(waveRequest(Phase.CLIENTS, site, 0.5));
        String jobId = awaitJob(machine).get("jobId");
        double succeededBefore = jobsTotal(site, "CLIENTS", "succeeded");
        double failedBefore = jobsTotal(site, "CLIENTS", "failed");

        report(machine, jobId, "SUCCEEDED", List.of(previous(TestRollout.SCH_TLS12_CLIENT, "Enabled", null)));
        assertThat(jobsTotal(site, "CLIENTS", "succeeded")).isEqualTo(succeededBefore + 1);
        JsonPath first = get("/api/v1/machines/" + machine).jsonPath();
        JsonPath waveFirst = wave(waveId);

        // Again, the same, then with another outcome: 204 both times, and nothing changes or counts.
        report(machine, jobId, "SUCCEEDED", List.of(previous(TestRollout.SCH_TLS12_CLIENT, "Enabled", null)));
        report(machine, jobId, "FAILED", List.of());
        assertThat(jobsTotal(site, "CLIENTS", "succeeded")).isEqualTo(succeededBefore + 1);
        assertThat(jobsTotal(site, "CLIENTS", "failed")).isEqualTo(failedBefore);
        JsonPath again = get("/api/v1/machines/" + machine).jsonPath();
        assertThat(again.getMap("jobs[0]")).isEqualTo(first.getMap("jobs[0]"));
        assertThat(again.getString("jobs[0].state")).isEqualTo("SUCCEEDED");
        assertThat(again.getString("jobs[0].detail")).isEqualTo("succeeded in the test");
        assertThat(again.getMap("phases")).isEqualTo(first.getMap("phases"));
        assertThat(wave(waveId).getMap("counts")).isEqualTo(waveFirst.getMap("counts"));
        assertThat(poll(machine)).as("a reported job is no longer served").isEmpty();

        // One SUCCEEDED event for the job, whatever the number of reports.
        relay.relay();
        List<String> kinds = TopicRecords.all(Topics.JOB_EVENTS).stream()
                .filter(r -> machine.equals(r.key()))
                .map(r -> json(r.value()).path("kind").asText())
                .toList();
        assertThat(kinds).containsExactly("ISSUED", "SUCCEEDED");
    }

    @Test
    void aSucceededJobThatAskedForARestartLeavesThePendingRestartUntilANewerBoot() {
        String site = newSite();
        EvaluationEvent before = TestRollout.clientToFix("restart", site);
        send(before);
        awaitMachines(before);
        String machine = before.machineId();
        createWave(waveRequest(Phase.CLIENTS, site, 0.5));
        report(machine, awaitJob(machine).get("jobId"), "SUCCEEDED");

        assertThat(get("/api/v1/machines/" + machine).jsonPath().getString("phases.CLIENTS")).isEqualTo("PENDING_RESTART");
        assertThat(ids("site=" + site + "&phase=CLIENTS&state=PENDING_RESTART")).containsExactly(machine);
        assertThat(ids("site=" + site + "&phase=CLIENTS&state=NONCOMPLIANT")).isEmpty();
        assertThat(get("/api/v1/progress").jsonPath()
                .getInt("sites.find { it.siteCode == '" + site + "' }.phases.CLIENTS.PENDING_RESTART")).isEqualTo(1);

        // A snapshot from before the restart (the same boot): still pending, whatever it says of the registry.
        EvaluationEvent sameBoot = TestRollout.evaluation(machine, site, now().plusSeconds(1), "6.1",
                List.of(Role.CLIENT), before.lastBootAt(), TestEstate.allPhases(PhaseState.COMPLIANT), List.of());
        send(sameBoot);
        awaitMachines(sameBoot);
        assertThat(get("/api/v1/machines/" + machine).jsonPath().getString("phases.CLIENTS")).isEqualTo("PENDING_RESTART");
        // Other phases show what is stored.
        assertThat(get("/api/v1/machines/" + machine).jsonPath().getString("phases.VERIFY")).isEqualTo("COMPLIANT");

        // Booted after the report: no longer pending.
        EvaluationEvent rebooted = TestRollout.evaluation(machine, site, now().plusSeconds(2), "6.1",
                List.of(Role.CLIENT), Instant.now(), TestEstate.allPhases(PhaseState.COMPLIANT), List.of());
        send(rebooted);
        awaitMachines(rebooted);
        assertThat(get("/api/v1/machines/" + machine).jsonPath().getString("phases.CLIENTS")).isEqualTo("COMPLIANT");
        assertThat(ids("site=" + site + "&phase=CLIENTS&state=PENDING_RESTART")).isEmpty();
    }

    @Test
    void aFailedJobLeavesNoPendingRestart() {
        String site = newSite();
        String machine = seedClientsToFix("failed", site, 1).get(0);
        createWave(waveRequest(Phase.CLIENTS, site, 0.5));
        report(machine, awaitJob(machine).get("jobId"), "FAILED");
        assertThat(get("/api/v1/machines/" + machine).jsonPath().getString("phases.CLIENTS")).isEqualTo("NONCOMPLIANT");
    }

    @Test
    void anotherMachinesJobsAreRefused() {
        String site = newSite();
        List<String> machines = seedClientsToFix("other", site, 2);
        String a = machines.get(0);
        String b = machines.get(1);
        createWave(waveRequest(Phase.CLIENTS, site, 0.5));
        String jobOfB = awaitJob(b).get("jobId");
        awaitJob(a);

        // A's token on B's path: 403, for polling and for reporting.
        RestAssured.given().auth().oauth2(TestAgentKeys.token(a)).get("/api/v1/agents/" + b + "/jobs")
                .then().statusCode(403).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString(a));
        RestAssured.given().auth().oauth2(TestAgentKeys.token(a)).contentType(ContentType.JSON)
                .body(Map.of("outcome", "SUCCEEDED")).post("/api/v1/agents/" + b + "/jobs/" + jobOfB + "/result")
                .then().statusCode(403);
        // A's token on A's path with B's job: the machine has no such job.
        postResult(a, jobOfB, Map.of("outcome", "SUCCEEDED")).then().statusCode(404)
                .contentType("application/problem+json");
        postResult(a, "no-such-job", Map.of("outcome", "SUCCEEDED")).then().statusCode(404);
        // B's job is untouched.
        assertThat(poll(b)).extracting(j -> j.get("jobId")).containsExactly(jobOfB);
    }

    @Test
    void aMalformedResultIs400ProblemDetails() {
        String site = newSite();
        String machine = seedClientsToFix("bad", site, 1).get(0);
        createWave(waveRequest(Phase.CLIENTS, site, 0.5));
        String jobId = awaitJob(machine).get("jobId");

        postResult(machine, jobId, "{not json").then().statusCode(400).contentType("application/problem+json");
        postResult(machine, jobId, Map.of("detail", "no outcome")).then().statusCode(400)
                .body("errors.field", hasItem("/outcome"));
        postResult(machine, jobId, Map.of("outcome", "MAYBE")).then().statusCode(400)
                .contentType("application/problem+json");
        postResult(machine, jobId, Map.of("outcome", "SUCCEEDED", "previousValues", List.of(Map.of("value", 1))))
                .then().statusCode(400)
                .body("errors.field", hasItem("/previousValues/0/key"))
                .body("errors.field", hasItem("/previousValues/0/name"));
        assertThat(poll(machine)).as("nothing recorded").hasSize(1);
    }

    @Test
    void theMachineViewListsItsJobsNewestFirst() {
        String site = newSite();
        String machine = seedClientsToFix("view", site, 1).get(0);
        String waveId = createWave(waveRequest(Phase.CLIENTS, site, 0.5));
        String jobId = awaitJob(machine).get("jobId");

        JsonPath issued = get("/api/v1/machines/" + machine).then().statusCode(200).extract().jsonPath();
        assertThat(issued.getList("jobs")).hasSize(1);
        assertThat(issued.getMap("jobs[0]")).containsOnlyKeys("jobId", "waveId", "phase", "state", "seq", "issuedAt",
                "reportedAt", "detail");
        assertThat(issued.getString("jobs[0].jobId")).isEqualTo(jobId);
        assertThat(issued.getString("jobs[0].waveId")).isEqualTo(waveId);
        assertThat(issued.getString("jobs[0].phase")).isEqualTo("CLIENTS");
        assertThat(issued.getString("jobs[0].state")).isEqualTo("ISSUED");
        assertThat(issued.getLong("jobs[0].seq")).isEqualTo(1);
        assertThat(issued.getString("jobs[0].issuedAt")).isNotNull();
        assertThat(issued.getString("jobs[0].reportedAt")).isNull();

        report(machine, jobId, "REJECTED");
        JsonPath reported = get("/api/v1/machines/" + machine).jsonPath();
        assertThat(reported.getString("jobs[0].state")).isEqualTo("REJECTED");
        assertThat(reported.getString("jobs[0].reportedAt")).isNotNull();
        assertThat(reported.getString("jobs[0].detail")).isEqualTo("rejected in the test");
    }

    @Test
    void aMachineWithoutJobsPollsAnEmptyList() {
        String machine = TestEstate.newMachineId("nojobs");
        RestAssured.given().auth().oauth2(TestAgentKeys.token(machine)).get("/api/v1/agents/" + machine + "/jobs")
                .then().statusCode(200).contentType("application/json").body("size()", is(0));
    }

    private static List<String> ids(String query) {
        return get("/api/v1/machines?" + query).then().statusCode(200).extract().jsonPath().getList("items.machineId");
    }

    private static final Pattern SAMPLE = Pattern.compile("^tlsrollout_jobs_total\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);

    /** tlsrollout_jobs_total{phase, outcome} as /q/metrics shows it. */
    static double jobsTotal(String site, String phase, String outcome) {
        String text = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            if (m.group(1).contains("site=\"" + site + "\"") && m.group(1).contains("phase=\"" + phase + "\"")
                    && m.group(1).contains("outcome=\"" + outcome + "\"")) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no tlsrollout_jobs_total{site=" + site + ", phase=" + phase + ", outcome=" + outcome
                + "}");
    }

    private static JsonNode json(String value) {
        try {
            return Json.MAPPER.readTree(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
