package org.tlsrollout.remediation.messaging;

import static org.tlsrollout.remediation.TestEstate.execute;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.tlsrollout.remediation.TestEstate.eventually;
import static org.tlsrollout.remediation.TestEstate.allPhases;
import static org.tlsrollout.remediation.TestEstate.awaitConsumed;
import static org.tlsrollout.remediation.TestEstate.awaitMachine;
import static org.tlsrollout.remediation.TestEstate.awaitMachines;
import static org.tlsrollout.remediation.TestEstate.deadLetters;
import static org.tlsrollout.remediation.TestEstate.evaluation;
import static org.tlsrollout.remediation.TestEstate.get;
import static org.tlsrollout.remediation.TestEstate.header;
import static org.tlsrollout.remediation.TestEstate.json;
import static org.tlsrollout.remediation.TestEstate.newMachineId;
import static org.tlsrollout.remediation.TestEstate.newSite;
import static org.tlsrollout.remediation.TestEstate.now;
import static org.tlsrollout.remediation.TestEstate.phases;
import static org.tlsrollout.remediation.TestEstate.record;
import static org.tlsrollout.remediation.TestEstate.result;
import static org.tlsrollout.remediation.TestEstate.schannelFail;
import static org.tlsrollout.remediation.TestEstate.send;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.MachineClass;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;
import org.tlsrollout.contracts.Severity;
import org.tlsrollout.testing.KafkaTestResource;
import org.tlsrollout.testing.PostgresTestResource;

/** Evaluations from the real topic into the estate state, read back over HTTP. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class EvaluationFlowTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void newestEvaluationWinsWhenAnOlderOneArrivesLater() {
        String site = newSite();
        String machine = newMachineId("newest");
        Instant newer = now();
        EvaluationEvent current = evaluation(machine, site, newer, allPhases(PhaseState.COMPLIANT));
        EvaluationEvent late = evaluation(machine, site, newer.minus(Duration.ofHours(1)),
                allPhases(PhaseState.NONCOMPLIANT), List.of(schannelFail()));
        send(current);
        awaitMachine(machine, newer);

        send(late);
        awaitConsumed();

        JsonPath shown = get("/api/v1/machines/" + machine).then().statusCode(200).extract().jsonPath();
        assertThat(Instant.parse(shown.getString("lastSnapshotAt"))).isEqualTo(newer);
        assertThat(shown.getMap("phases")).containsOnly(
                Map.entry("CLIENTS", "COMPLIANT"), Map.entry("SITE_SYSTEMS", "COMPLIANT"),
                Map.entry("VERIFY", "COMPLIANT"), Map.entry("DISABLE_LEGACY", "COMPLIANT"));
        assertThat(shown.getList("findings")).isEmpty();

        // A newer one still replaces it.
        Instant newest = newer.plus(Duration.ofMinutes(5));
        send(evaluation(machine, site, newest, allPhases(PhaseState.NONCOMPLIANT), List.of(schannelFail())));
        awaitMachine(machine, newest);
        assertThat(get("/api/v1/machines/" + machine).jsonPath().getString("phases.CLIENTS")).isEqualTo("NONCOMPLIANT");
    }

    @Test
    void theNewestOfSeveralEvaluationsInOneBatchWins() {
        String site = newSite();
        String machine = newMachineId("batch");
        Instant newest = now();
        send(evaluation(machine, site, newest.minusSeconds(60), allPhases(PhaseState.UNKNOWN)),
                evaluation(machine, site, newest, allPhases(PhaseState.COMPLIANT)),
                evaluation(machine, site, newest.minusSeconds(30), allPhases(PhaseState.NONCOMPLIANT)));
        awaitConsumed();

        JsonPath shown = get("/api/v1/machines/" + machine).then().statusCode(200).extract().jsonPath();
        assertThat(Instant.parse(shown.getString("lastSnapshotAt"))).isEqualTo(newest);
        assertThat(shown.getString("phases.VERIFY")).isEqualTo("COMPLIANT");
    }

    @Test
    void duplicatesAndReplaysOfTheSameSnapshotAreHarmless() {
        String site = newSite();
        String machine = newMachineId("dup");
        Instant collectedAt = now();
        EvaluationEvent first = evaluation(machine, site, collectedAt,
                phases(PhaseState.NONCOMPLIANT, PhaseState.NOT_APPLICABLE, PhaseState.UNKNOWN, PhaseState.NONCOMPLIANT),
                List.of(schannelFail()));
        send(first, first, first);
        awaitMachine(machine, collectedAt);
        // The same snapshot evaluated again (equal collectedAt), here with other states: the stored row stays.
        EvaluationEvent replay = evaluation(machine, site, collectedAt, allPhases(PhaseState.COMPLIANT));
        send(replay, first);
        awaitConsumed();

        JsonPath shown = get("/api/v1/machines/" + machine).then().statusCode(200).extract().jsonPath();
        assertThat(Instant.parse(shown.getString("lastSnapshotAt"))).isEqualTo(collectedAt);
        assertThat(shown.getMap("phases")).containsOnly(
                Map.entry("CLIENTS", "NONCOMPLIANT"), Map.entry("SITE_SYSTEMS", "NOT_APPLICABLE"),
                Map.entry("VERIFY", "UNKNOWN"), Map.entry("DISABLE_LEGACY", "NONCOMPLIANT"));
        assertThat(shown.getList("findings.ruleId")).containsExactly("SCHANNEL_TLS12_CLIENT");
        assertThat(deadLetters()).noneMatch(r -> machine.equals(r.key()));
    }

    @Test
    void phasesAndFindingsAreShownAsSent() {
        String site = newSite();
        String machine = newMachineId("findings");
        Instant collectedAt = now();
        RuleResult unknown = new RuleResult(RuleId.DOTNET_VERSION, RuleStatus.UNKNOWN, Severity.ERROR, Phase.CLIENTS,
                "the snapshot has no dotnet section", "000, 001, 003", List.of());
        RuleResult warning = result(RuleId.FIPS_POLICY, RuleStatus.FAIL, Phase.CLIENTS);
        EvaluationEvent event = evaluation(machine, site, collectedAt,
                phases(PhaseState.NONCOMPLIANT, PhaseState.NOT_APPLICABLE, PhaseState.COMPLIANT, PhaseState.UNKNOWN),
                List.of(schannelFail(), unknown, warning,
                        result(RuleId.REBOOT_COMPLETED, RuleStatus.PASS, Phase.VERIFY),
                        result(RuleId.SCHANNEL_TLS12_SERVER, RuleStatus.NOT_APPLICABLE, Phase.CLIENTS)));
        send(event);
        awaitMachine(machine, collectedAt);

        JsonPath shown = get("/api/v1/machines/" + machine).then().statusCode(200)
                .contentType("application/json").extract().jsonPath();
        assertThat(shown.getString("machineId")).isEqualTo(machine);
        assertThat(shown.getString("siteCode")).isEqualTo(site);
        assertThat(shown.getString("machineClass")).isEqualTo("client");
        assertThat(shown.getList("jobs")).isEmpty();
        assertThat(shown.getMap("phases")).containsOnly(
                Map.entry("CLIENTS", "NONCOMPLIANT"), Map.entry("SITE_SYSTEMS", "NOT_APPLICABLE"),
                Map.entry("VERIFY", "COMPLIANT"), Map.entry("DISABLE_LEGACY", "UNKNOWN"));
        // FAIL and UNKNOWN results only, WARNING ones included, in the order sent.
        assertThat(shown.getList("findings.ruleId"))
                .containsExactly("SCHANNEL_TLS12_CLIENT", "DOTNET_VERSION", "FIPS_POLICY");
        assertThat(shown.getList("findings.status")).containsExactly("FAIL", "UNKNOWN", "FAIL");
        assertThat(shown.getList("findings.severity")).containsExactly("ERROR", "ERROR", "WARNING");
        assertThat(shown.getList("findings.phase")).containsExactly("CLIENTS", "CLIENTS", "CLIENTS");
        assertThat(shown.getString("findings[0].message")).isEqualTo("TLS 1.2 is off by default on OS 6.1");
        assertThat(shown.getString("findings[0].source")).isEqualTo("001, 004");
        assertThat(shown.getList("findings[0].actions.type")).containsExactly("SET_REGISTRY_DWORD", "RESTART");
        assertThat(shown.getString("findings[0].actions[0].key")).endsWith("TLS 1.2\\Client");
        assertThat(shown.getString("findings[0].actions[0].name")).isEqualTo("Enabled");
        assertThat(shown.getInt("findings[0].actions[0].value")).isEqualTo(1);
        assertThat(shown.getString("findings[0].actions[1].reason")).isEqualTo("SChannel reads its settings at boot");
        assertThat(shown.getMap("findings[1]")).doesNotContainKey("actions").containsKey("source");
        assertThat(shown.getMap("findings[2]")).doesNotContainKey("actions").doesNotContainKey("source");
    }

    @Test
    void anUnreadableRecordIsDeadLetteredAndTheRecordsAfterItAreApplied() {
        String site = newSite();
        String badKey = newMachineId("garbage");
        String badValue = "{\"machineId\": \"" + badKey + "\", this is not JSON";
        EvaluationEvent after = evaluation(newMachineId("after"), site, now(), allPhases(PhaseState.COMPLIANT));
        EvaluationEvent wrongKey = evaluation(newMachineId("keyed"), site, now(), allPhases(PhaseState.COMPLIANT));
        EvaluationEvent wrongType = evaluation(newMachineId("typed"), site, now(), allPhases(PhaseState.COMPLIANT));
        ProducerRecord<String, String> snapshotTyped = record(wrongType);
        snapshotTyped.headers().remove("ce_type").add("ce_type", "org.tlsrollout.snapshot.v1".getBytes(UTF_8));
        EvaluationEvent untyped = evaluation(newMachineId("untyped"), site, now(), allPhases(PhaseState.COMPLIANT));
        ProducerRecord<String, String> noType = record(untyped);
        noType.headers().remove("ce_type");
        send(List.of(
                record(null, badKey, badValue),
                record(null, "not-" + wrongKey.machineId(), json(wrongKey)),
                snapshotTyped,
                noType,
                record(after)));

        awaitMachines(after);
        ConsumerRecord<String, String> dead = eventually().until(
                () -> deadLetters().stream().filter(r -> badKey.equals(r.key())).findFirst().orElse(null),
                r -> r != null);
        assertThat(dead.value()).isEqualTo(badValue);
        assertThat(header(dead, "dead-letter-reason")).startsWith("the value is not an evaluation");
        assertThat(header(dead, "dead-letter-topic")).isEqualTo("tlsrollout.evaluations.v1");
        assertThat(header(dead, "ce_type")).isEqualTo("org.tlsrollout.evaluation.v1");

        // A record whose key is not its machine id is dead-lettered too, and not applied.
        assertThat(deadLetters()).anySatisfy(r -> {
            assertThat(r.key()).isEqualTo("not-" + wrongKey.machineId());
            assertThat(header(r, "dead-letter-reason")).contains("is not the machineId");
        });
        get("/api/v1/machines/" + wrongKey.machineId()).then().statusCode(404);
        // So is a record of another CloudEvents type.
        assertThat(deadLetters()).anySatisfy(r -> {
            assertThat(r.key()).isEqualTo(wrongType.machineId());
            assertThat(header(r, "dead-letter-reason")).startsWith("ce_type 'org.tlsrollout.snapshot.v1'");
        });
        get("/api/v1/machines/" + wrongType.machineId()).then().statusCode(404);
        get("/api/v1/machines/" + badKey).then().statusCode(404);
        // And one without any ce_type.
        eventually().untilAsserted(() -> assertThat(deadLetters()).anySatisfy(r -> {
            assertThat(r.key()).isEqualTo(untyped.machineId());
            assertThat(header(r, "dead-letter-reason")).startsWith("the record has no ce_type header");
        }));
        get("/api/v1/machines/" + untyped.machineId()).then().statusCode(404);
    }

    @Test
    void theCompactFormGivesTheSameMachineAsTheFullOne() {
        String site = newSite();
        Instant at = now();
        // Phases left out: the service derives them from the results, which the compact form names in part only.
        RuleResult fail = schannelFail();
        RuleResult unknown = result(RuleId.DOTNET_VERSION, RuleStatus.UNKNOWN, Phase.CLIENTS);
        List<RuleId> passed = List.of(RuleId.DOTNET_STRONG_CRYPTO, RuleId.REBOOT_COMPLETED, RuleId.TLS12_HANDSHAKE);
        List<RuleId> notApplicable = List.of(RuleId.SCHANNEL_LEGACY_DISABLED, RuleId.SQL_SERVER_TLS12,
                RuleId.KNOWN_TLS_ERRORS);
        List<RuleResult> everyResult = new java.util.ArrayList<>(List.of(fail, unknown));
        passed.forEach(id -> everyResult.add(result(id, RuleStatus.PASS, id.phaseFor(MachineClass.CLIENT))));
        notApplicable.forEach(id -> everyResult.add(result(id, RuleStatus.NOT_APPLICABLE, id.phaseFor(MachineClass.CLIENT))));
        EvaluationEvent full = form(newMachineId("full"), site, at, everyResult, null, null);
        EvaluationEvent compact = form(newMachineId("compact"), site, at, List.of(fail, unknown), passed, notApplicable);
        assertThat(compact.isCompact()).isTrue();
        assertThat(full.isCompact()).isFalse();
        send(full, compact);
        awaitMachines(full, compact);

        JsonPath fromFull = get("/api/v1/machines/" + full.machineId()).jsonPath();
        JsonPath fromCompact = get("/api/v1/machines/" + compact.machineId()).jsonPath();
        assertThat(fromCompact.getMap("phases")).isEqualTo(fromFull.getMap("phases"));
        assertThat(fromFull.getMap("phases")).containsEntry("CLIENTS", "NONCOMPLIANT")
                .containsEntry("SITE_SYSTEMS", "NOT_APPLICABLE").containsEntry("VERIFY", "COMPLIANT")
                .containsEntry("DISABLE_LEGACY", "NOT_APPLICABLE");
        assertThat(fromCompact.getList("findings")).isEqualTo(fromFull.getList("findings")).hasSize(2);
    }

    private static EvaluationEvent form(String machineId, String site, Instant at, List<RuleResult> results,
            List<RuleId> passed, List<RuleId> notApplicable) {
        return new EvaluationEvent(machineId, site, java.util.UUID.randomUUID().toString(), at, "1",
                MachineClass.CLIENT, results, null, at.plusSeconds(1), at.plusSeconds(2), "6.1",
                List.of(org.tlsrollout.contracts.Role.CLIENT), at.minus(Duration.ofDays(1)), 1L, passed, notApplicable);
    }

    @Test
    void anEvaluationTheDatabaseRefusesIsDeadLetteredAloneAndTheOthersOfItsBatchAreApplied() {
        String site = newSite();
        String machine = newMachineId("nul");
        // PostgreSQL cannot store U+0000 in jsonb: the database refuses this row, whatever the attempt.
        RuleResult nul = new RuleResult(RuleId.DOTNET_VERSION, RuleStatus.FAIL, Severity.ERROR, Phase.CLIENTS,
                "a NUL \u0000 in the message", null, List.of());
        EvaluationEvent refused = evaluation(machine, site, now(), allPhases(PhaseState.NONCOMPLIANT), List.of(nul));
        EvaluationEvent before = evaluation(newMachineId("before"), site, now(), allPhases(PhaseState.COMPLIANT));
        EvaluationEvent after = evaluation(newMachineId("after"), site, now(), allPhases(PhaseState.COMPLIANT));
        send(List.of(record(before), record(refused), record(after)));

        awaitMachines(before, after);
        ConsumerRecord<String, String> dead = eventually().until(
                () -> deadLetters().stream().filter(r -> machine.equals(r.key())).findFirst().orElse(null),
                r -> r != null);
        assertThat(header(dead, "dead-letter-reason")).startsWith("the database refuses this evaluation");
        assertThat(deadLetters()).noneMatch(r -> before.machineId().equals(r.key()) || after.machineId().equals(r.key()));
        get("/api/v1/machines/" + machine).then().statusCode(404);
    }

    @Test
    void whileTheDatabaseFailsEvaluationsWaitAndAreNeitherLostNorDeadLettered() throws SQLException {
        String site = newSite();
        EvaluationEvent first = evaluation(newMachineId("outage"), site, now(), allPhases(PhaseState.COMPLIANT));
        EvaluationEvent second = evaluation(newMachineId("outage"), site, now(), allPhases(PhaseState.NONCOMPLIANT));
        try {
            execute(dataSource, "ALTER TABLE machine RENAME TO machine_away");
            send(first, second);
            // The listener tried, failed, and waits: readiness says so.
            eventually().untilAsserted(() -> RestAssured.get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'evaluation-ingest' }.status", is("DOWN")));
        } finally {
            execute(dataSource, "ALTER TABLE IF EXISTS machine_away RENAME TO machine");
        }
        awaitMachines(first, second);
        assertThat(get("/api/v1/machines/" + second.machineId()).jsonPath().getString("phases.VERIFY"))
                .isEqualTo("NONCOMPLIANT");
        assertThat(deadLetters()).noneMatch(r -> r.key() != null && r.key().startsWith("outage-"));
        eventually().untilAsserted(() -> RestAssured.get("/q/health/ready").then().statusCode(200));
    }
}
