package org.tlsrollout.collector.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Examples;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.testing.EndpointAuthentication;
import org.tlsrollout.testing.EndpointAuthentication.Caller;
import org.tlsrollout.testing.KafkaTestResource;
import org.tlsrollout.testing.OpenApiOperation;

/**
 * collector-service refuses every operation of its /q/openapi, a new one included, to whoever may not call it: no
 * token or a wrong one (401), a viewer on anything but a read (403), an agent acting for another machine (403). Only
 * enrollment (it checks the enrollment secret itself) and the JWKS need no token (api.md).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
class EndpointAuthenticationTest {
    static final String VIEWER = "test-viewer-token";
    static final EndpointAuthentication AUTH = new EndpointAuthentication("collector-service",
            Set.of("POST /api/v1/agents/enroll", "GET /.well-known/jwks.json"),
            (op, machineId) -> snapshotOf(machineId).getBytes(StandardCharsets.UTF_8));

    static String snapshotOf(String machineId) {
        try {
            ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(Examples.json(Examples.WIN10_CLIENT_DONE));
            return doc.put("machineId", machineId).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyEndpointButThePublicOnesRefusesWhoMayNotCallIt() {
        String other = SnapshotResourceTest.newMachineId();
        String agent = SnapshotResourceTest.enroll(SnapshotResourceTest.newMachineId(), "NYC");

        assertThat(AUTH.assertEveryProtectedOperationRefuses(other,
                Caller.refused("as a viewer", VIEWER, 403).onWritesOnly(),
                Caller.refused("as another machine's agent", agent, 403)))
                .extracting(OpenApiOperation::toString)
                .contains("POST /api/v1/snapshots", "POST /api/v1/snapshots/import");
    }

    @Test
    void thePublicEndpointsNeedNoToken() {
        AUTH.assertPublicEndpointsAnswerWithoutToken();
        // Enrollment with a wrong secret is refused by the secret, not for a missing token.
        TestAgent agent = new TestAgent();
        Map<String, Object> body = agent.body("PC-1", "NYC");
        body.put("enrollSecret", "x");
        agent.enrollWith(body).then().statusCode(401).contentType("application/problem+json");
    }
}
