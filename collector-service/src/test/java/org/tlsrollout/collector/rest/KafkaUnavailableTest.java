package org.tlsrollout.collector.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Examples;
import org.tlsrollout.platform.net.FreePorts;

/** api.md: "503 with Retry-After when Kafka cannot take it" — here no broker listens at all. */
@QuarkusTest
@TestProfile(KafkaUnavailableTest.NoBroker.class)
class KafkaUnavailableTest {

    public static class NoBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "kafka.bootstrap.servers", "127.0.0.1:" + FreePorts.pick(),
                    "mp.messaging.outgoing.snapshots.max.block.ms", "1000",
                    "mp.messaging.outgoing.snapshots.request.timeout.ms", "1000",
                    "mp.messaging.outgoing.snapshots.delivery.timeout.ms", "2000",
                    "collector.intake.publish-timeout", "5s");
        }
    }

    @Test
    void aSnapshotThatKafkaCannotTakeIsRefusedWith503AndRetryAfter() throws Exception {
        String machineId = SnapshotResourceTest.newMachineId();
        String token = SnapshotResourceTest.enroll(machineId, "NYC");

        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(SnapshotResourceTest.snapshot(Examples.WIN10_CLIENT_DONE, machineId).toString())
                .when().post("/api/v1/snapshots")
                .then().statusCode(503).header("Retry-After", "5")
                .contentType("application/problem+json").body("status", equalTo(503));
    }
}
