package org.tlsrollout.remediation.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrollout.remediation.TestEstate.awaitMachines;
import static org.tlsrollout.remediation.TestEstate.get;
import static org.tlsrollout.remediation.TestEstate.newMachineId;
import static org.tlsrollout.remediation.TestEstate.newSite;
import static org.tlsrollout.remediation.TestEstate.now;
import static org.tlsrollout.remediation.TestEstate.send;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;
import org.tlsrollout.contracts.Severity;
import org.tlsrollout.testing.KafkaTestResource;
import org.tlsrollout.testing.PostgresTestResource;
import org.tlsrollout.remediation.TestEstate;
import org.tlsrollout.remediation.TestRollout;

/** GET /api/v1/findings (machines per rule and status) and GET /api/v1/machines?rule=&status=. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class FindingsTest {

    @Test
    void countsTheMachinesOfEachRuleAndStatusAndListsThem() {
        String site = newSite();
        RuleResult dotnetUnknown = new RuleResult(RuleId.DOTNET_VERSION, RuleStatus.UNKNOWN, Severity.ERROR,
                Phase.CLIENTS, "no dotnet section", null, List.of());
        EvaluationEvent a = evaluation(site, TestRollout.schannelClientFail(), TestRollout.strongCryptoFail());
        EvaluationEvent b = evaluation(site, TestRollout.schannelClientFail(), dotnetUnknown);
        EvaluationEvent c = evaluation(site, TestRollout.schannelClientFail());
        EvaluationEvent clean = evaluation(site);
        EvaluationEvent elsewhere = evaluation(newSite(), TestRollout.strongCryptoFail());
        send(a, b, c, clean, elsewhere);
        awaitMachines(a, b, c, clean, elsewhere);

        JsonPath findings = get("/api/v1/findings?site=" + site).then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> items = findings.getList("findings");
        assertThat(items).containsExactly(
                Map.of("ruleId", "SCHANNEL_TLS12_CLIENT", "phase", "CLIENTS", "severity", "ERROR", "status", "FAIL",
                        "machines", 3),
                Map.of("ruleId", "DOTNET_STRONG_CRYPTO", "phase", "CLIENTS", "severity", "ERROR", "status", "FAIL",
                        "machines", 1),
                Map.of("ruleId", "DOTNET_VERSION", "phase", "CLIENTS", "severity", "ERROR", "status", "UNKNOWN",
                        "machines", 1));
        // Over all sites the other site's machine counts too.
        JsonPath all = get("/api/v1/findings").then().statusCode(200).extract().jsonPath();
        assertThat(all.getInt("findings.find { it.ruleId == 'DOTNET_STRONG_CRYPTO' && it.status == 'FAIL' }.machines"))
                .isGreaterThanOrEqualTo(2);

        assertThat(ids("site=" + site + "&rule=SCHANNEL_TLS12_CLIENT"))
                .containsExactlyInAnyOrder(a.machineId(), b.machineId(), c.machineId());
        assertThat(ids("site=" + site + "&rule=SCHANNEL_TLS12_CLIENT&status=FAIL")).hasSize(3);
        assertThat(ids("site=" + site + "&rule=SCHANNEL_TLS12_CLIENT&status=UNKNOWN")).isEmpty();
        assertThat(ids("site=" + site + "&status=UNKNOWN")).containsExactly(b.machineId());
        assertThat(ids("rule=DOTNET_STRONG_CRYPTO&status=FAIL&size=500"))
                .contains(a.machineId(), elsewhere.machineId()).doesNotContain(b.machineId(), clean.machineId());
        assertThat(get("/api/v1/machines?site=" + site + "&rule=SCHANNEL_TLS12_CLIENT&size=2").jsonPath()
                .getLong("total")).isEqualTo(3);
    }

    @Test
    void invalidFiltersAre400() {
        get("/api/v1/machines?rule=NOT_A_RULE").then().statusCode(400).contentType("application/problem+json");
        get("/api/v1/machines?status=PASS").then().statusCode(400).contentType("application/problem+json");
        get("/api/v1/findings?site=toolong").then().statusCode(400).contentType("application/problem+json");
    }

    private static EvaluationEvent evaluation(String site, RuleResult... results) {
        return TestEstate.evaluation(newMachineId("fnd"), site, now(), TestEstate.phases(
                results.length > 0 ? PhaseState.NONCOMPLIANT : PhaseState.COMPLIANT, PhaseState.NOT_APPLICABLE,
                PhaseState.COMPLIANT, PhaseState.NOT_APPLICABLE), List.of(results));
    }

    private static List<String> ids(String query) {
        return get("/api/v1/machines?" + query).then().statusCode(200).extract().jsonPath().getList("items.machineId");
    }
}
