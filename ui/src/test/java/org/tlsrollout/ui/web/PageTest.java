package org.tlsrollout.ui.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.tlsrollout.ui.fake.FakeRemediation;
import org.tlsrollout.ui.fake.FakeRemediationResource;

/** The page's own files, its settings document and the ui's health. */
@QuarkusTest
@QuarkusTestResource(FakeRemediationResource.class)
class PageTest {

    @Test
    void servesTheSettingsThePageReads() {
        given().when().get("/ui-config.json")
                .then().statusCode(200).contentType(startsWith("application/json"))
                .header("Cache-Control", "no-store")
                .body("grafanaUrl", equalTo(FakeRemediationResource.GRAFANA_URL))
                .body("refreshSeconds", equalTo(2));
    }

    @Test
    void servesThePageUnderAPolicyThatKeepsItOnItsOwnOrigin() {
        given().when().get("/")
                .then().statusCode(200).contentType(startsWith("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .header("Content-Security-Policy", containsString("connect-src 'self'"))
                .header("X-Content-Type-Options", "nosniff")
                .body(containsString("<script type=\"module\" src=\"js/app.js\"></script>"));
    }

    @Test
    void servesEveryModuleAndStylesheetAndHasBrowsersRevalidateThem() {
        for (String module : new String[] {"app", "api", "dom", "session", "model", "components", "views/signin",
                "views/overview", "views/findings", "views/machines", "views/machine", "views/waves", "views/launch",
                "views/audit"}) {
            given().when().get("/js/" + module + ".js")
                    .then().statusCode(200).contentType(containsString("javascript"))
                    .header("Cache-Control", containsString("max-age=0"));
        }
        given().when().get("/css/app.css").then().statusCode(200).contentType(startsWith("text/css"));
        given().when().get("/favicon.svg").then().statusCode(200).contentType(startsWith("image/svg+xml"));
    }

    @Test
    void isLiveAndReady() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void servesMetricsWithoutIdsInTheUriLabel() {
        given().header("Authorization", "Bearer " + FakeRemediation.VIEWER_TOKEN)
                .when().get("/api/v1/machines/NYC-PC-4242").then().statusCode(200);
        given().header("Authorization", "Bearer " + FakeRemediation.OPERATOR_TOKEN)
                .when().post("/api/v1/waves/w-0002/pause").then().statusCode(200);
        given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("uri=\"/api/v1/machines/{machineId}\""))
                .body(containsString("uri=\"/api/v1/waves/{id}/pause\""))
                .body(not(containsString("NYC-PC-4242")))
                .body(not(containsString("w-0002")));
    }

    @Test
    void servesItsOpenApiDocument() {
        given().accept("application/json").when().get("/q/openapi?format=json")
                .then().statusCode(200).body("paths.'/ui-config.json'.get.summary", containsString("deployment"));
    }
}
