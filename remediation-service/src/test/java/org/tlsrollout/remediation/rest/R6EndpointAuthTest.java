package org.tlsrollout.remediation.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tlsrollout.platform.testing.KafkaTestResource;
import org.tlsrollout.platform.testing.OpenApiOperation;
import org.tlsrollout.platform.testing.PostgresTestResource;
import org.tlsrollout.remediation.TestAgentKeys;
import org.tlsrollout.remediation.TestEstate;

/**
 * R6 (issue #6, docs/benchmarks.md) for remediation-service: every operation that /q/openapi lists, so that a new
 * endpoint is covered without touching this test, is refused without a token (401), with a wrong token (401), to a
 * viewer when it is not a read (403), and to an agent acting for another machine (403); every refusal is RFC 9457
 * problem details. Only the operations of {@link #PUBLIC} need no token, and health, metrics and OpenAPI.
 * {@link WaveAuthTest} checks the same, and what each role may do, on a hand-made list with real waves and jobs.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class R6EndpointAuthTest {
    /** The public operations (api.md): the JWKS that verifies job signatures. */
    static final Set<String> PUBLIC = Set.of("GET /.well-known/jwks.json");

    /** Every operation of /q/openapi. */
    static List<OpenApiOperation> operations() {
        return OpenApiOperation.all(given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().asString());
    }

    /** Sends the operation, acting for {@code machineId} (path parameters and body). */
    static Response send(OpenApiOperation op, String token, String machineId) {
        RequestSpecification request = given();
        if (token != null) {
            request = request.auth().oauth2(token);
        }
        if (op.contentType() != null && op.contentType().contains("json")) {
            request = request.contentType(op.contentType()).body(Map.of("machineId", machineId, "outcome", "FAILED",
                    "phase", "CLIENTS", "sites", List.of("ZZZ"), "maxFailureRate", 0.1));
        } else if (op.contentType() != null) {
            // Text bodies (the inventory's CSV): a line naming the machine.
            request = request.contentType(op.contentType()).body(("machineId,siteCode,roles,osVersion,lastSeenAt\n"
                    + machineId + ",ZZZ,,,\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return request.request(op.method(), op.pathFor(machineId));
    }

    static void assertProblem(Response r, int status, OpenApiOperation op, String who) {
        assertThat(r.statusCode()).as(op + " " + who + ": " + r.asString()).isEqualTo(status);
        assertThat(r.contentType()).as(op + " " + who).startsWith("application/problem+json");
        assertThat(r.jsonPath().getInt("status")).as(op + " " + who).isEqualTo(status);
    }

    @Test
    void everyEndpointButThePublicOnesRefusesWhoMayNotCallIt() {
        List<OpenApiOperation> ops = operations();
        assertThat(ops).extracting(OpenApiOperation::toString).contains("POST /api/v1/waves",
                "GET /api/v1/agents/{machineId}/jobs", "POST /api/v1/agents/{machineId}/jobs/{jobId}/result",
                "GET /api/v1/machines/{machineId}").containsAll(PUBLIC);
        String other = TestEstate.newMachineId("r6-other");
        String agent = TestAgentKeys.token(TestEstate.newMachineId("r6"));
        int checked = 0;
        for (OpenApiOperation op : ops) {
            if (PUBLIC.contains(op.toString())) {
                continue;
            }
            Response none = send(op, null, other);
            assertProblem(none, 401, op, "without a token");
            assertThat(none.header("WWW-Authenticate")).as(op.toString()).isEqualTo("Bearer");
            assertProblem(send(op, "not-a-token-of-this-estate", other), 401, op, "with a wrong token");
            assertProblem(send(op, TestAgentKeys.foreignToken(other), other), 401, op, "with a forged agent token");
            if (!op.method().equals("GET")) {
                assertProblem(send(op, TestEstate.VIEWER_TOKEN, other), 403, op, "as a viewer");
            }
            assertProblem(send(op, agent, other), 403, op, "as another machine's agent");
            checked++;
        }
        System.out.printf("R6 remediation-service: %d protected operations of %d checked (401/401/401/403/403)%n",
                checked, ops.size());
        assertThat(checked).isEqualTo(ops.size() - PUBLIC.size());
    }

    @Test
    void thePublicEndpointsNeedNoToken() {
        given().get("/.well-known/jwks.json").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }
}
