package org.tlsrollout.remediation.rest;

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
import org.tlsrollout.testing.PostgresTestResource;

/**
 * Every endpoint is described in /q/openapi: summary, answers (errors too, as problem details), examples; the
 * listed ones with the answers api.md gives them, and any other one at least with a summary and a success.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class OpenApiTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "post, /api/v1/waves, 201 200 400 401 403 409, true",
        "get, /api/v1/waves, 200 401 403, false",
        "get, /api/v1/waves/{id}, 200 401 403 404, false",
        "post, /api/v1/waves/{id}/pause, 200 401 403 404 409, false",
        "post, /api/v1/waves/{id}/resume, 200 401 403 404 409, false",
        "post, /api/v1/waves/{id}/cancel, 200 401 403 404 409, false",
        "post, /api/v1/waves/{id}/rollback, 201 401 403 404 409, false",
        "get, /api/v1/agents/{machineId}/jobs, 200 401 403, false",
        "post, /api/v1/agents/{machineId}/jobs/{jobId}/result, 204 400 401 403 404, true",
        "get, /.well-known/jwks.json, 200, false",
        "get, /api/v1/session, 200 401 403, false",
        "get, /api/v1/findings, 200 400 401, false",
        "get, /api/v1/audit, 200 400 401 403, false"
    })
    void isDescribed(String method, String path, String statuses, boolean example) {
        JsonPath openapi = RestAssured.given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Object> operation = openapi.getMap("paths.'" + path + "'." + method);
        assertThat(operation).as(method + " " + path).isNotNull();
        assertThat((String) operation.get("summary")).isNotBlank();
        @SuppressWarnings("unchecked")
        Map<String, Object> responses = (Map<String, Object>) operation.get("responses");
        assertThat(responses).containsKeys(List.of(statuses.split(" ")).toArray(String[]::new));
        if (example) {
            String content = openapi.getString("paths.'" + path + "'." + method + ".requestBody.content.'application/json'");
            assertThat(content).contains("examples");
        }
    }

    @Test
    void everyOperationHasASummaryASuccessAndProblemDetailsForItsErrors() {
        JsonPath openapi = RestAssured.given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Map<String, Object>> paths = openapi.getMap("paths");
        assertThat(paths).containsKeys("/api/v1/machines/{machineId}", "/api/v1/progress", "/api/v1/waves");
        paths.forEach((path, item) -> item.forEach((method, value) -> {
            if (!List.of("get", "post", "put", "delete", "patch").contains(method)) {
                return;
            }
            String operation = "paths.'" + path + "'." + method;
            assertThat(openapi.getString(operation + ".summary")).as("summary of " + method + " " + path).isNotBlank();
            Map<String, Map<String, Object>> responses = openapi.getMap(operation + ".responses");
            assertThat(responses.keySet()).as("answers of " + method + " " + path).anyMatch(s -> s.startsWith("2"));
            responses.forEach((status, response) -> {
                if (status.startsWith("4") || status.startsWith("5")) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> content = (Map<String, Object>) response.get("content");
                    assertThat(content).as(status + " of " + method + " " + path)
                            .containsKey("application/problem+json");
                }
            });
        }));
    }
}
