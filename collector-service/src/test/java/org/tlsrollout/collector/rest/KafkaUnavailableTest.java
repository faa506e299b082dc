package org.tlsrollout.collector.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.tlsrollout.collector.enrollment.AgentIdentities;
import org.tlsrollout.collector.DatabaseOnlyProfile;
import org.tlsrollout.contracts.Examples;
import org.tlsrollout.platform.net.FreePorts;

/**
 * api.md: "503 with Retry-After when Kafka cannot take it" — here no broker listens at all; and an identity reset
 * whose audit record Kafka cannot take is not done (docs/decisions.md, "The audit trail of identity resets").
 */
@QuarkusTest
@TestProfile(KafkaUnavailableTest.NoBroker.class)
class KafkaUnavailableTest {

    @Inject
    AgentIdentities identities;

    public static class NoBroker extends DatabaseOnlyProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("kafka.bootstrap.servers", "127.0.0.1:" + FreePorts.pick()),
                    Map.entry("mp.messaging.outgoing.snapshots.max.block.ms", "250"),
                    Map.entry("mp.messaging.outgoing.snapshots.request.timeout.ms", "250"),
                    Map.entry("mp.messaging.outgoing.snapshots.delivery.timeout.ms", "500"),
                    Map.entry("collector.intake.publish-timeout", "5s"),
                    Map.entry("mp.messaging.outgoing.audit.max.block.ms", "250"),
                    Map.entry("mp.messaging.outgoing.audit.request.timeout.ms", "250"),
                    Map.entry("mp.messaging.outgoing.audit.delivery.timeout.ms", "500"),
                    Map.entry("collector.audit.publish-timeout", "5s"));
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

    @Test
    void anIdentityResetWhoseAuditRecordKafkaCannotTakeIs503AndUndone() {
        String machineId = SnapshotResourceTest.newMachineId();
        TestAgent agent = new TestAgent();
        agent.enroll(machineId, "NYC");
        String bound = identities.thumbprint(machineId);
        assertThat(bound).isNotNull();

        given().auth().oauth2(SnapshotResourceTest.OPERATOR).delete("/api/v1/agents/{id}/identity", machineId)
                .then().statusCode(503).header("Retry-After", "5").contentType("application/problem+json");

        // Not released: the same key still enrolls and another key is still refused.
        assertThat(identities.thumbprint(machineId)).isEqualTo(bound);
        TestAgent other = new TestAgent();
        other.enrollWith(other.body(machineId, "NYC")).then().statusCode(409);
    }
}
