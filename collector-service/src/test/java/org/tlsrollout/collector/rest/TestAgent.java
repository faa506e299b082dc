package org.tlsrollout.collector.rest;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.security.KeyPair;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tlsrollout.common.keys.EcKeys;
import org.tlsrollout.contracts.EcJwk;
import org.tlsrollout.contracts.EnrollmentProof;

/** An agent of the tests: its own EC P-256 key pair, and enrollment bodies with a proof signed by it. */
final class TestAgent {
    static final String SECRET = "test-enroll-secret";

    final KeyPair key = EcKeys.generate();

    /** The enrollment api.md describes: ids, secret, public JWK and a proof of now. */
    Map<String, Object> body(String machineId, String siteCode) {
        return body(machineId, siteCode, SECRET, EnrollmentProof.create(key.getPrivate(), machineId, siteCode,
                Instant.now()));
    }

    Map<String, Object> body(String machineId, String siteCode, String secret, String proof) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("machineId", machineId);
        body.put("siteCode", siteCode);
        body.put("enrollSecret", secret);
        body.put("publicKey", EcJwk.toJwk(key.getPublic()));
        body.put("proof", proof);
        return body;
    }

    Response enrollWith(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/v1/agents/enroll");
    }

    /** Enrolls (a fresh proof), expecting 200; the agent token. */
    String enroll(String machineId, String siteCode) {
        return enrollWith(body(machineId, siteCode)).then().statusCode(200).extract().path("agentToken");
    }
}
