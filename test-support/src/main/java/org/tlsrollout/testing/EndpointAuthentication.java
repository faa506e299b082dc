package org.tlsrollout.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks the authentication of every operation that a running service's {@code /q/openapi} lists, so that a new
 * endpoint is covered without changing the test: each operation but the public ones is refused without a token (401
 * with {@code WWW-Authenticate: Bearer}), with a token of no one (401), and to each {@link Caller} the test names,
 * every refusal RFC 9457 problem details with its status. Requests go through REST Assured to the service under test.
 */
public final class EndpointAuthentication {
    /** A bearer token that no service of the estate issues or accepts. */
    public static final String WRONG_TOKEN = "not-a-token-of-this-estate";
    /** What every service serves without a token besides its public operations. */
    private static final List<String> QUARKUS_ENDPOINTS = List.of("/q/health/live", "/q/metrics", "/q/openapi");

    /**
     * Someone a protected operation must refuse.
     *
     * @param who         how the failure messages name them ("as a viewer")
     * @param refusedWith the status of the refusal (401, 403)
     * @param readsToo    whether a GET is refused too; false for a role that may read everything
     */
    public record Caller(String who, String token, int refusedWith, boolean readsToo) {
        /** A caller refused on every operation. */
        public static Caller refused(String who, String token, int status) {
            return new Caller(who, token, status, true);
        }

        /** This caller refused on anything but a GET. */
        public Caller onWritesOnly() {
            return new Caller(who, token, refusedWith, false);
        }
    }

    /** The request body of an operation that takes one, acting for a machine: a String, bytes, or a Map for JSON. */
    @FunctionalInterface
    public interface RequestBodies {
        Object body(OpenApiOperation operation, String machineId);
    }

    private final String service;
    private final Set<String> publicOperations;
    private final RequestBodies bodies;

    /**
     * @param service          the service's name, for the summary line
     * @param publicOperations the operations that need no token, as {@code "GET /.well-known/jwks.json"}
     */
    public EndpointAuthentication(String service, Set<String> publicOperations, RequestBodies bodies) {
        this.service = service;
        this.publicOperations = Set.copyOf(publicOperations);
        this.bodies = bodies;
    }

    /** Every operation of the service's {@code /q/openapi}, in document order. */
    public List<OpenApiOperation> operations() {
        return OpenApiOperation.all(given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().asString());
    }

    /**
     * Sends every operation but the public ones, acting for {@code machineId} (its path's {@code {machineId}} and
     * the body), without a token, with {@link #WRONG_TOKEN} and as each of {@code callers}, and asserts each refusal.
     * The document must list every public operation.
     *
     * @return the operations checked
     */
    public List<OpenApiOperation> assertEveryProtectedOperationRefuses(String machineId, Caller... callers) {
        List<OpenApiOperation> operations = operations();
        assertThat(operations).extracting(OpenApiOperation::toString).as("the public operations")
                .containsAll(publicOperations);
        List<OpenApiOperation> checked = new ArrayList<>();
        for (OpenApiOperation op : operations) {
            if (publicOperations.contains(op.toString())) {
                continue;
            }
            Response none = send(op, null, machineId);
            assertProblem(none, 401, op, "without a token");
            assertThat(none.header("WWW-Authenticate")).as(op + " without a token").isEqualTo("Bearer");
            assertProblem(send(op, WRONG_TOKEN, machineId), 401, op, "with a wrong token");
            for (Caller caller : callers) {
                if (caller.readsToo() || !op.method().equals("GET")) {
                    assertProblem(send(op, caller.token(), machineId), caller.refusedWith(), op, caller.who());
                }
            }
            checked.add(op);
        }
        System.out.printf("endpoint authentication of %s: %d protected operations of %d checked, %d refusals each%n",
                service, checked.size(), operations.size(), 2 + callers.length);
        return checked;
    }

    /** Each public GET operation, health, metrics and the OpenAPI document answer 200 without a token. */
    public void assertPublicEndpointsAnswerWithoutToken() {
        List<String> paths = new ArrayList<>();
        publicOperations.stream().filter(op -> op.startsWith("GET ")).map(op -> op.substring(4)).forEach(paths::add);
        paths.addAll(QUARKUS_ENDPOINTS);
        for (String path : paths) {
            assertThat(given().get(path).statusCode()).as("GET " + path + " without a token").isEqualTo(200);
        }
    }

    private Response send(OpenApiOperation op, String token, String machineId) {
        RequestSpecification request = given();
        if (token != null) {
            request = request.auth().oauth2(token);
        }
        if (op.contentType() != null) {
            request = request.contentType(op.contentType());
            // body(Object) would serialize bytes and strings as JSON values; they are the body as it is.
            Object body = bodies.body(op, machineId);
            request = body instanceof byte[] bytes ? request.body(bytes)
                    : body instanceof String text ? request.body(text) : request.body(body);
        }
        return request.request(op.method(), op.pathFor(machineId));
    }

    private static void assertProblem(Response r, int status, OpenApiOperation op, String who) {
        assertThat(r.statusCode()).as(op + " " + who + ": " + r.asString()).isEqualTo(status);
        assertThat(r.contentType()).as(op + " " + who).startsWith("application/problem+json");
        assertThat(r.jsonPath().getInt("status")).as(op + " " + who).isEqualTo(status);
    }
}
