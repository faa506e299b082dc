package org.tlsrollout.remediation.rest;

import static org.hamcrest.Matchers.is;
import static org.tlsrollout.remediation.TestEstate.OPERATOR_TOKEN;
import static org.tlsrollout.remediation.TestEstate.VIEWER_TOKEN;
import static org.tlsrollout.remediation.TestEstate.allPhases;
import static org.tlsrollout.remediation.TestEstate.awaitMachines;
import static org.tlsrollout.remediation.TestEstate.evaluation;
import static org.tlsrollout.remediation.TestEstate.newMachineId;
import static org.tlsrollout.remediation.TestEstate.newSite;
import static org.tlsrollout.remediation.TestEstate.now;
import static org.tlsrollout.remediation.TestEstate.send;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.testing.KafkaTestResource;
import org.tlsrollout.testing.PostgresTestResource;

/** api.md, "Authentication": every read endpoint wants the viewer role, which operators have too. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class AuthTest {
    private static final EvaluationEvent machine = evaluation(newMachineId("auth"), newSite(), now(),
            allPhases(PhaseState.COMPLIANT));
    private static boolean sent;

    /** Once for the class (the application serves HTTP only once the first test runs). */
    @BeforeEach
    void estate() {
        if (!sent) {
            send(machine);
            awaitMachines(machine);
            sent = true;
        }
    }

    static List<String> endpoints() {
        return List.of("/api/v1/machines/" + machine.machineId(), "/api/v1/machines", "/api/v1/progress");
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void withoutATokenIs401ProblemDetails(String path) {
        RestAssured.given().get(path).then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("status", is(401));
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void withAnUnknownTokenIs401ProblemDetails(String path) {
        RestAssured.given().auth().oauth2("not-a-token-of-this-estate").get(path).then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("status", is(401));
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void aViewerMayRead(String path) {
        RestAssured.given().auth().oauth2(VIEWER_TOKEN).get(path).then().statusCode(200).contentType("application/json");
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void anOperatorMayRead(String path) {
        RestAssured.given().auth().oauth2(OPERATOR_TOKEN).get(path).then().statusCode(200)
                .contentType("application/json");
    }

    @Test
    void healthMetricsAndOpenApiNeedNoToken() {
        RestAssured.get("/q/health/live").then().statusCode(200);
        RestAssured.get("/q/metrics").then().statusCode(200);
        RestAssured.get("/q/openapi").then().statusCode(200);
    }
}
