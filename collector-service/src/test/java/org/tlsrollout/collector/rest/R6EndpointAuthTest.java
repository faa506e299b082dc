package org.tlsrollout.collector.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Examples;
import org.tlsrollout.platform.testing.KafkaTestResource;
import org.tlsrollout.platform.testing.OpenApiOperation;

/**
 * R6 (issue #6, docs/benchmarks.md) for collector-service: every operation that /q/openapi lists, so that a new
 * endpoint is covered without touching this test, is refused without a token (401), with a wrong token (401), to a
 * viewer when it is not a read (403), and to an agent acting for another machine (403); every refusal is RFC 9457
 * problem details. Only the operations of {@link #PUBLIC} need no token, and health, metrics and OpenAPI.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class R6EndpointAuthTest {
    static final String VIEWER = "test-viewer-token";
    /** The public operations (api.md): enrollment (it checks the enrollment secret itself) and the JWKS. */
    static final Set<String> PUBLIC = Set.of("POST /api/v1/agents/enroll", "GET /.well-known/jwks.json");

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
        if (op.contentType() != null) {
            request = request.contentType(op.contentType()).body(snapshotOf(machineId).getBytes(StandardCharsets.UTF_8));
        }
        return request.request(op.method(), op.pathFor(machineId));
    }

    static String snapshotOf(String machineId) {
        try {
            ObjectNode doc = (ObjectNode) org.tlsrollout.contracts.Json.MAPPER.readTree(
                    Examples.json(Examples.WIN10_CLIENT_DONE));
            return doc.put("machineId", machineId).toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void assertProblem(Response r, int status, OpenApiOperation op, String who) {
        assertThat(r.statusCode()).as(op + " " + who).isEqualTo(status);
        assertThat(r.contentType()).as(op + " " + who).startsWith("application/problem+json");
        assertThat(r.jsonPath().getInt("status")).as(op + " " + who).isEqualTo(status);
    }

    @Test
    void everyEndpointButThePublicOnesRefusesWhoMayNotCallIt() {
        List<OpenApiOperation> ops = operations();
        assertThat(ops).extracting(OpenApiOperation::toString).contains("POST /api/v1/snapshots",
                "POST /api/v1/snapshots/import").containsAll(PUBLIC);
        String other = SnapshotResourceTest.newMachineId();
        String agent = SnapshotResourceTest.enroll(SnapshotResourceTest.newMachineId(), "NYC");
        int checked = 0;
        for (OpenApiOperation op : ops) {
            if (PUBLIC.contains(op.toString())) {
                continue;
            }
            Response none = send(op, null, other);
            assertProblem(none, 401, op, "without a token");
            assertThat(none.header("WWW-Authenticate")).as(op.toString()).isEqualTo("Bearer");
            assertProblem(send(op, "not-a-token-of-this-estate", other), 401, op, "with a wrong token");
            if (!op.method().equals("GET")) {
                assertProblem(send(op, VIEWER, other), 403, op, "as a viewer");
            }
            assertProblem(send(op, agent, other), 403, op, "as another machine's agent");
            checked++;
        }
        System.out.printf("R6 collector-service: %d protected operations of %d checked (401/401/403/403)%n", checked,
                ops.size());
        assertThat(checked).isEqualTo(ops.size() - PUBLIC.size());
    }

    @Test
    void thePublicEndpointsNeedNoToken() {
        given().get("/.well-known/jwks.json").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
        // Enrollment with a wrong secret is refused by the secret, not for a missing token.
        TestAgent agent = new TestAgent();
        Map<String, Object> body = agent.body("PC-1", "NYC");
        body.put("enrollSecret", "x");
        agent.enrollWith(body).then().statusCode(401).contentType("application/problem+json");
    }
}
