package org.tlsrollout.remediation.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tlsrollout.testing.EndpointAuthentication;
import org.tlsrollout.testing.EndpointAuthentication.Caller;
import org.tlsrollout.testing.KafkaTestResource;
import org.tlsrollout.testing.OpenApiOperation;
import org.tlsrollout.testing.PostgresTestResource;
import org.tlsrollout.remediation.TestAgentKeys;
import org.tlsrollout.remediation.TestEstate;

/**
 * remediation-service refuses every operation of its /q/openapi, a new one included, to whoever may not call it: no
 * token, a wrong one or an agent token the collector's key did not sign (401), a viewer on anything but a read (403),
 * an agent acting for another machine (403). Only the JWKS that verifies job signatures needs no token (api.md).
 * {@link WaveAuthTest} checks what each role may do, on a hand-made list with real waves and jobs.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class EndpointAuthenticationTest {
    static final EndpointAuthentication AUTH = new EndpointAuthentication("remediation-service",
            Set.of("GET /.well-known/jwks.json"), EndpointAuthenticationTest::body);

    /** A JSON body naming the machine in each field an operation may read it from; a text body is the inventory's CSV. */
    static Object body(OpenApiOperation op, String machineId) {
        if (op.contentType().contains("json")) {
            return Map.of("machineId", machineId, "outcome", "FAILED", "phase", "CLIENTS", "sites", List.of("ZZZ"),
                    "maxFailureRate", 0.1);
        }
        return ("machineId,siteCode,roles,osVersion,lastSeenAt\n" + machineId + ",ZZZ,,,\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyEndpointButThePublicOnesRefusesWhoMayNotCallIt() {
        String other = TestEstate.newMachineId("auth-other");
        String agent = TestAgentKeys.token(TestEstate.newMachineId("auth"));

        assertThat(AUTH.assertEveryProtectedOperationRefuses(other,
                Caller.refused("with a forged agent token", TestAgentKeys.foreignToken(other), 401),
                Caller.refused("as a viewer", TestEstate.VIEWER_TOKEN, 403).onWritesOnly(),
                Caller.refused("as another machine's agent", agent, 403)))
                .extracting(OpenApiOperation::toString)
                .contains("POST /api/v1/waves", "GET /api/v1/agents/{machineId}/jobs",
                        "POST /api/v1/agents/{machineId}/jobs/{jobId}/result", "GET /api/v1/machines/{machineId}");
    }

    @Test
    void thePublicEndpointsNeedNoToken() {
        AUTH.assertPublicEndpointsAnswerWithoutToken();
    }
}
