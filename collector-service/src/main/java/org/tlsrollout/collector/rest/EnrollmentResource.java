package org.tlsrollout.collector.rest;

import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.tlsrollout.common.problem.Problem;
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
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = EnrollmentService.Enrollment.class),
            examples = @ExampleObject(name = "a client of site P01",
                    value = "{\"machineId\": \"P01-WS-00042\", \"siteCode\": \"P01\", \"enrollSecret\": \"<the site's secret>\"}")))
    @APIResponse(responseCode = "200", description = "the agent token (an ES256 JWT whose subject is the machine id)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AgentTokenService.IssuedToken.class)))
    @APIResponse(responseCode = "400", description = "invalid machine id or site code; problem details name the field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "wrong enrollment secret",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public AgentTokenService.IssuedToken enroll(EnrollmentService.Enrollment request) {
        return enrollment.enroll(request);
    }

    @GET
    @Path(".well-known/jwks.json")
    @Produces("application/jwk-set+json")
    @Operation(summary = "The public keys that verify agent tokens (RFC 7517)")
    @APIResponse(responseCode = "200", description = "a JWK set of EC P-256 public keys, by kid",
            content = @Content(mediaType = "application/jwk-set+json"))
    public String jwks() {
        return tokens.jwks();
    }
}
