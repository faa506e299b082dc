package org.tlsrollout.collector.rest;

import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.tlsrollout.collector.enrollment.AgentTokenService;
import org.tlsrollout.collector.enrollment.EnrollmentService;

/** Agent enrollment and the public keys of agent tokens (api.md, "collector-service"). */
@Path("/")
public class EnrollmentResource {
    private final EnrollmentService enrollment;
    private final AgentTokenService tokens;

    public EnrollmentResource(EnrollmentService enrollment, AgentTokenService tokens) {
        this.enrollment = enrollment;
        this.tokens = tokens;
    }

    @POST
    @Path("api/v1/agents/enroll")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Enroll an agent with its site's enrollment secret and get an agent token")
    @APIResponse(responseCode = "200", description = "{agentToken, expiresAt}")
    @APIResponse(responseCode = "400", description = "invalid machine id or site code (problem details)")
    @APIResponse(responseCode = "401", description = "wrong enrollment secret (problem details)")
    public AgentTokenService.IssuedToken enroll(EnrollmentService.Enrollment request) {
        return enrollment.enroll(request);
    }

    @GET
    @Path(".well-known/jwks.json")
    @Produces("application/jwk-set+json")
    @Operation(summary = "The public keys that verify agent tokens (RFC 7517)")
    public String jwks() {
        return tokens.jwks();
    }
}
