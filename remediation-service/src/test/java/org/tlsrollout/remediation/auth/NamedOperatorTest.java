package org.tlsrollout.remediation.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrollout.remediation.TestEstate.VIEWER_TOKEN;
import static org.tlsrollout.remediation.TestEstate.newSite;
import static org.tlsrollout.remediation.TestRollout.waveRequest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.testing.KafkaTestResource;
import org.tlsrollout.testing.OidcTestIssuer;
import org.tlsrollout.testing.PostgresTestResource;
import org.tlsrollout.remediation.TestRollout;

/**
 * Named operators (issue 18): an operator signed in through OpenID Connect (tokens of a local issuer, verified against
 * its JWKS document over HTTP) creates a wave that names them in createdBy, its history and the audit trail.
 * <p>
 * The issuer is a resource of the whole test run (not a test profile, which would start Quarkus once more): it only
 * signs in tokens of its own issuer, so the other tests' shared and agent tokens are checked as before.
 */
@QuarkusTest
@QuarkusTestResource(value = OidcTestIssuer.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class NamedOperatorTest {

    private static io.restassured.response.Response postWave(String token, Map<String, Object> body) {
        return RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post("/api/v1/waves");
    }

    @Test
    void aWaveCreatedWithAnOidcTokenNamesItsOperator() {
        String site = newSite();
        // Machines to fix, so that the wave runs and can be paused.
        TestRollout.seedClientsToFix("oidc", site, 1);
        String id = postWave(OidcTestIssuer.token("alice", "operator"), waveRequest(Phase.CLIENTS, site, 0.1))
                .then().statusCode(201).extract().path("id");
        String pausedBy = RestAssured.given().auth().oauth2(OidcTestIssuer.token("bob", "operator"))
                .post("/api/v1/waves/" + id + "/pause").then().statusCode(200).extract()
                .path("history.find { it.action == 'pause' }.actor");
        assertThat(pausedBy).isEqualTo("bob");

        var wave = RestAssured.given().auth().oauth2(OidcTestIssuer.token("carol", "viewer"))
                .get("/api/v1/waves/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(wave.getString("createdBy")).isEqualTo("alice");
        assertThat(wave.getString("history[0].actor")).isEqualTo("alice");

        List<Map<String, Object>> audit = RestAssured.given().auth().oauth2(VIEWER_TOKEN)
                .queryParam("target", "wave/" + id).get("/api/v1/audit").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(audit).extracting(e -> e.get("action") + " by " + e.get("actor"))
                .containsExactly("WAVE_PAUSE by bob", "WAVE_CREATE by alice");
    }

    @Test
    void aViewerOfTheProviderCannotCreateAndAForgedTokenIsNotSignedIn() {
        postWave(OidcTestIssuer.token("carol", "viewer"), waveRequest(Phase.CLIENTS, newSite(), 0.1))
                .then().statusCode(403);
        postWave(OidcTestIssuer.forgedToken("mallory", "operator"), waveRequest(Phase.CLIENTS, newSite(), 0.1))
                .then().statusCode(401);
    }
}
