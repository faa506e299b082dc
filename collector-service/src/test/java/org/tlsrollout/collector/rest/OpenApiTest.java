package org.tlsrollout.collector.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tlsrollout.testing.KafkaTestResource;

/** Every endpoint of api.md's collector table is described in /q/openapi: summary, answers (errors too), examples. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
class OpenApiTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "post, /api/v1/agents/enroll, 200 400 401 409 413, application/json",
        "delete, /api/v1/agents/{machineId}/identity, 204 401 403 404, -",
        "post, /api/v1/snapshots, 202 400 401 403 413 503, application/json",
        "post, /api/v1/snapshots/import, 200 401 403 503, application/x-ndjson",
        "get, /.well-known/jwks.json, 200, -"
    })
    void isDescribed(String method, String path, String statuses, String exampleMediaType) {
        JsonPath openapi = openapi();
        String operation = "paths.'" + path + "'." + method;
        assertThat(openapi.getMap(operation)).as(method + " " + path).isNotNull();
        assertThat(openapi.getString(operation + ".summary")).as("summary").isNotBlank();
        Map<String, Object> responses = openapi.getMap(operation + ".responses");
        assertThat(responses).containsKeys(List.of(statuses.split(" ")).toArray(String[]::new));
        if (!exampleMediaType.equals("-")) {
            assertThat(openapi.getMap(operation + ".requestBody.content.'" + exampleMediaType + "'"))
                    .as("request body of " + path).containsKey("examples");
        }
    }

    @Test
    void errorsAreProblemDetails() {
        JsonPath openapi = openapi();
        for (String path : List.of("/api/v1/agents/enroll", "/api/v1/snapshots", "/api/v1/snapshots/import")) {
            Map<String, Map<String, Object>> responses = openapi.getMap("paths.'" + path + "'.post.responses");
            responses.forEach((status, response) -> {
                if (status.startsWith("4") || status.startsWith("5")) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> content = (Map<String, Object>) response.get("content");
                    assertThat(content).as(status + " of " + path).containsKey("application/problem+json");
                }
            });
        }
    }

    @Test
    void theSnapshotExamplesAreTheContractsAndValid() {
        JsonPath openapi = openapi();
        Map<String, Object> examples = openapi.getMap(
                "paths.'/api/v1/snapshots'.post.requestBody.content.'application/json'.examples");
        assertThat(examples.keySet()).containsExactlyInAnyOrderElementsOf(org.tlsrollout.contracts.Examples.ALL.stream()
                .map(n -> n.replace(".json", "")).toList());
        String ndjson = openapi.getString(
                "paths.'/api/v1/snapshots/import'.post.requestBody.content.'application/x-ndjson'.examples.'three machines'.value");
        assertThat(ndjson.lines()).hasSize(3).allSatisfy(line ->
                assertThat(new org.tlsrollout.contracts.SnapshotSchema().check(line).valid()).as(line).isTrue());
    }

    @Test
    void swaggerUiIsServed() {
        RestAssured.get("/q/swagger-ui/").then().statusCode(200);
    }

    private static JsonPath openapi() {
        return RestAssured.given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();
    }
}
