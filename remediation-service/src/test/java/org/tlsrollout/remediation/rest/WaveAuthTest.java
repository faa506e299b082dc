package org.tlsrollout.remediation.rest;

import static org.hamcrest.Matchers.is;
import static org.tlsrollout.remediation.TestEstate.OPERATOR_TOKEN;
import static org.tlsrollout.remediation.TestEstate.VIEWER_TOKEN;
import static org.tlsrollout.remediation.TestRollout.awaitJob;
import static org.tlsrollout.remediation.TestRollout.createWave;
import static org.tlsrollout.remediation.TestRollout.waveRequest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.testing.KafkaTestResource;
import org.tlsrollout.testing.PostgresTestResource;
import org.tlsrollout.remediation.TestAgentKeys;
import org.tlsrollout.remediation.TestEstate;
import org.tlsrollout.remediation.TestRollout;

/**
 * api.md, "Authentication", for every endpoint of the waves and the agents: no token or a wrong one is 401; a viewer
 * on an operator action is 403; an agent token is no operator's nor viewer's; an agent may act only for its own
 * machine (403 otherwise), and only with a token the collector's key signed (401 otherwise).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class WaveAuthTest {
    private static String site;
    private static String machine;
    private static String waveId;
    private static String jobId;

    /** Once for the class: a machine with a job, in a wave. */
    @BeforeEach
    void estate() {
        if (waveId != null) {
            return;
        }
        site = TestEstate.newSite();
        machine = TestRollout.seedClientsToFix("auth", site, 1).get(0);
        waveId = createWave(waveRequest(Phase.CLIENTS, site, 0.5));
        jobId = awaitJob(machine).get("jobId");
    }

    record Call(String method, String path, Object body) {
        io.restassured.response.Response send(RequestSpecification request) {
            if (body != null) {
                request = request.contentType(ContentType.JSON).body(body);
            }
            return request.request(method, path);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static Stream<Arguments> operatorActions() {
        Map<String, Object> wave = Map.of("phase", "CLIENTS", "sites", List.of("ZZZ"), "maxFailureRate", 0.1);
        return Stream.of(
                Arguments.of(new Call("POST", "/api/v1/waves", wave)),
                Arguments.of(new Call("POST", "/api/v1/waves", Map.of("phase", "CLIENTS", "sites", List.of("ZZZ"),
                        "maxFailureRate", 0.1, "dryRun", true))),
                Arguments.of(new Call("POST", "/api/v1/waves/{wave}/pause", null)),
                Arguments.of(new Call("POST", "/api/v1/waves/{wave}/resume", null)),
                Arguments.of(new Call("POST", "/api/v1/waves/{wave}/cancel", null)),
                Arguments.of(new Call("POST", "/api/v1/waves/{wave}/rollback", null)));
    }

    static Stream<Arguments> viewerReads() {
        return Stream.of(
                Arguments.of(new Call("GET", "/api/v1/waves", null)),
                Arguments.of(new Call("GET", "/api/v1/waves/{wave}", null)),
                Arguments.of(new Call("GET", "/api/v1/session", null)),
                Arguments.of(new Call("GET", "/api/v1/findings", null)),
                Arguments.of(new Call("GET", "/api/v1/machines?rule=SCHANNEL_TLS12_CLIENT", null)));
    }

    static Stream<Arguments> agentCalls() {
        return Stream.of(
                Arguments.of(new Call("GET", "/api/v1/agents/{machine}/jobs", null)),
                Arguments.of(new Call("POST", "/api/v1/agents/{machine}/jobs/{job}/result",
                        Map.of("outcome", "FAILED", "detail", "auth test"))));
    }

    static Stream<Arguments> everyCall() {
        return Stream.of(operatorActions(), viewerReads(), agentCalls()).flatMap(s -> s);
    }

    private static RequestSpecification request(String token) {
        RequestSpecification request = RestAssured.given();
        return token == null ? request : request.auth().oauth2(token);
    }

    private static io.restassured.response.Response send(Call call, String token) {
        String path = call.path().replace("{machine}", machine).replace("{job}", jobId).replace("{wave}", waveId);
        return new Call(call.method(), path, call.body()).send(request(token));
    }

    @ParameterizedTest(name = "{0} without a token")
    @MethodSource("everyCall")
    void withoutATokenIs401(Call call) {
        send(call, null).then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer").body("status", is(401));
    }

    @ParameterizedTest(name = "{0} with an unknown token")
    @MethodSource("everyCall")
    void withAnUnknownTokenIs401(Call call) {
        send(call, "not-a-token-of-this-estate").then().statusCode(401).contentType("application/problem+json");
    }

    @ParameterizedTest(name = "{0} with an agent token the collector did not sign")
    @MethodSource("everyCall")
    void withAForgedAgentTokenIs401(Call call) {
        send(call, TestAgentKeys.foreignToken(machine)).then().statusCode(401).contentType("application/problem+json");
    }

    @ParameterizedTest(name = "{0} as a viewer")
    @MethodSource("operatorActions")
    void aViewerMayNotActIs403(Call call) {
        send(call, VIEWER_TOKEN).then().statusCode(403).contentType("application/problem+json").body("status", is(403));
    }

    @ParameterizedTest(name = "{0} as an agent")
    @MethodSource({"operatorActions", "viewerReads"})
    void anAgentIsNoOperatorNorViewer403(Call call) {
        send(call, TestAgentKeys.token(machine)).then().statusCode(403).contentType("application/problem+json");
    }

    @ParameterizedTest(name = "{0} as a viewer")
    @MethodSource("viewerReads")
    void aViewerMayRead(Call call) {
        send(call, VIEWER_TOKEN).then().statusCode(200).contentType("application/json");
    }

    @ParameterizedTest(name = "{0} as an operator")
    @MethodSource("viewerReads")
    void anOperatorMayRead(Call call) {
        send(call, OPERATOR_TOKEN).then().statusCode(200).contentType("application/json");
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("agentCallsByOthers")
    void onlyTheMachinesOwnAgentMayCall403(Call call, String who) {
        String token = switch (who) {
            case "operator" -> OPERATOR_TOKEN;
            case "viewer" -> VIEWER_TOKEN;
            default -> TestAgentKeys.token("another-machine-" + machine);
        };
        send(call, token).then().statusCode(403).contentType("application/problem+json");
    }

    static Stream<Arguments> agentCallsByOthers() {
        return agentCalls().flatMap(a -> Stream.of("operator", "viewer", "another agent")
                .map(who -> Arguments.of(a.get()[0], who)));
    }

    @Test
    void theMachinesOwnAgentMayPoll() {
        RestAssured.given().auth().oauth2(TestAgentKeys.token(machine)).get("/api/v1/agents/" + machine + "/jobs")
                .then().statusCode(200).body("jobId", org.hamcrest.Matchers.hasItem(jobId));
    }

    @Test
    void theJwksNeedsNoToken() {
        RestAssured.get("/.well-known/jwks.json").then().statusCode(200).body("keys.size()", is(2));
        RestAssured.given().accept("application/json").get("/.well-known/jwks.json").then().statusCode(200)
                .contentType("application/json");
    }

    @Test
    void theSessionTellsTheRoles() {
        RestAssured.given().auth().oauth2(OPERATOR_TOKEN).get("/api/v1/session").then().statusCode(200)
                .body("roles", is(List.of("operator", "viewer")));
        RestAssured.given().auth().oauth2(VIEWER_TOKEN).get("/api/v1/session").then().statusCode(200)
                .body("roles", is(List.of("viewer")));
    }
}
