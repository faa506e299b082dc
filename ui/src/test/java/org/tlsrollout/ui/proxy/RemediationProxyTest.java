package org.tlsrollout.ui.proxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tlsrollout.ui.fake.FakeRemediation;
import org.tlsrollout.ui.fake.FakeRemediation.Recorded;
import org.tlsrollout.ui.fake.FakeRemediationResource;
import org.tlsrollout.ui.fake.InjectFake;

/** The ui passes /api/* and /.well-known/* through to remediation-service, and says so clearly when it is down. */
@QuarkusTest
@QuarkusTestResource(FakeRemediationResource.class)
class RemediationProxyTest {

    @InjectFake
    FakeRemediation fake;

    @TestHTTPResource("/")
    URL root;

    @BeforeEach
    void reset() {
        fake.reset();
    }

    @Test
    void passesMethodPathAuthorizationAndBodyThrough() {
        String body = "{\"name\":\"proxy check\",\"phase\":\"CLIENTS\",\"sites\":[\"FRA\"],"
                + "\"selector\":{\"roles\":[],\"osVersions\":[]},\"batchSize\":100,\"maxFailureRate\":0.05,\"dryRun\":true}";
        given().header("Authorization", "Bearer " + FakeRemediation.OPERATOR_TOKEN).contentType("application/json").body(body)
                .when().post("/api/v1/waves")
                .then().statusCode(200).contentType(startsWith("application/json"))
                .body("dryRun", equalTo(true)).body("targeted", equalTo(600)).body("batches", equalTo(6));

        Recorded received = fake.last("POST", "/api/v1/waves").orElseThrow();
        assertThat(received.authorization()).isEqualTo("Bearer " + FakeRemediation.OPERATOR_TOKEN);
        assertThat(received.contentType()).startsWith("application/json");
        assertThat(received.body()).isEqualTo(body);
    }

    @Test
    void passesTheQueryStringThrough() {
        given().header("Authorization", "Bearer " + FakeRemediation.VIEWER_TOKEN)
                .when().get("/api/v1/machines?rule=DOTNET_STRONG_CRYPTO&status=FAIL&site=NYC&page=1&size=20")
                .then().statusCode(200).body("page", equalTo(1)).body("total", equalTo(137)).body("items", hasSize(20));

        assertThat(fake.last("GET", "/api/v1/machines").orElseThrow().query())
                .isEqualTo("rule=DOTNET_STRONG_CRYPTO&status=FAIL&site=NYC&page=1&size=20");
    }

    @Test
    void passesAcceptThroughAndStreamsTheCsvAsItComes() throws Exception {
        CountDownLatch hold = fake.holdCsvAfterHeader();
        HttpRequest request = HttpRequest.newBuilder(URI.create(root + "api/v1/machines?site=LON&neverReported=true"))
                .header("Accept", "text/csv").header("Authorization", "Bearer " + FakeRemediation.VIEWER_TOKEN).build();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader body = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
            // the header row arrives while the fake still holds back the rest: the proxy does not wait for the whole body
            assertThat(body.readLine()).isEqualTo(FakeRemediation.MACHINES_CSV_HEADER);
            assertThat(fake.csvFinished()).as("the fake finished the CSV before its first line came through").isFalse();
            hold.countDown();
            List<String> rows = body.lines().toList();
            assertThat(rows).hasSize(62).allSatisfy(r -> assertThat(r).startsWith("LON-").contains(",true,false,"));
        } finally {
            hold.countDown();
        }
        assertThat(fake.csvFinished()).isTrue();
        Recorded received = fake.last("GET", "/api/v1/machines").orElseThrow();
        assertThat(received.accept()).isEqualTo("text/csv");
        assertThat(received.query()).isEqualTo("site=LON&neverReported=true");
    }

    @Test
    void passesTheBackendsErrorsThroughUnchanged() {
        given().when().get("/api/v1/progress")
                .then().statusCode(401).contentType(startsWith(FakeRemediation.PROBLEM_JSON))
                .body("status", equalTo(401)).body("title", equalTo("Unauthorized"));
        assertThat(fake.last("GET", "/api/v1/progress").orElseThrow().authorization()).isNull();

        given().header("Authorization", "Bearer " + FakeRemediation.VIEWER_TOKEN).contentType("application/json").body("{}")
                .when().post("/api/v1/waves/w-0002/pause")
                .then().statusCode(403).contentType(startsWith(FakeRemediation.PROBLEM_JSON));
    }

    @Test
    void proxiesWellKnown() {
        given().when().get("/.well-known/jwks.json")
                .then().statusCode(200).body("keys[0].kty", equalTo("EC"));
        assertThat(fake.last("GET", "/.well-known/jwks.json")).isPresent();
    }

    @Test
    void aDownBackendGivesA502ProblemDocument() {
        fake.stop();
        try {
            given().header("Authorization", "Bearer " + FakeRemediation.VIEWER_TOKEN)
                    .when().get("/api/v1/progress?x=1")
                    .then().statusCode(502).contentType(startsWith(FakeRemediation.PROBLEM_JSON))
                    .body("status", equalTo(502))
                    .body("title", equalTo("remediation-service is unavailable"))
                    .body("detail", containsString(fake.url()))
                    .body("instance", equalTo("/api/v1/progress"));
            given().header("Authorization", "Bearer " + FakeRemediation.OPERATOR_TOKEN).contentType("application/json")
                    .body("{\"name\":\"x\"}")
                    .when().post("/api/v1/waves")
                    .then().statusCode(502).contentType(startsWith(FakeRemediation.PROBLEM_JSON));
        } finally {
            fake.start();
        }
        given().header("Authorization", "Bearer " + FakeRemediation.VIEWER_TOKEN)
                .when().get("/api/v1/progress")
                .then().statusCode(200);
    }
}
