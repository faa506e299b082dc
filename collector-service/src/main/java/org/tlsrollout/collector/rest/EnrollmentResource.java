package org.tlsrollout.collector.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
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
import org.jboss.logging.Logger;
import org.tlsrollout.collector.config.CollectorConfig;
import org.tlsrollout.collector.enrollment.AgentIdentities;
import org.tlsrollout.collector.enrollment.AgentTokenService;
import org.tlsrollout.collector.enrollment.EnrollmentService;
import org.tlsrollout.collector.messaging.AuditTrail;
import org.tlsrollout.common.problem.Problem;
import org.tlsrollout.common.problem.ProblemException;
import org.tlsrollout.common.security.Roles;
import org.tlsrollout.contracts.AuditEvent;

/** Agent enrollment, the release of an agent's identity, and the public keys of agent tokens (api.md, "collector-service"). */
@Path("/")
public class EnrollmentResource {
    private static final Logger LOG = Logger.getLogger(EnrollmentResource.class);
    static final String EXAMPLE = "{\"machineId\": \"P01-WS-00042\", \"siteCode\": \"P01\", "
            + "\"enrollSecret\": \"<the site's secret>\", \"publicKey\": {\"kty\": \"EC\", \"crv\": \"P-256\", "
            + "\"x\": \"<base64url>\", \"y\": \"<base64url>\"}, \"proof\": \"<compact JWS, ES256, of "
            + "{machineId, siteCode, iat} signed with the agent's private key>\"}";

    private final EnrollmentService enrollment;
    private final AgentTokenService tokens;
    private final AgentIdentities identities;
    private final CollectorConfig config;
    private final AuditTrail audit;

    @Inject
    SecurityIdentity identity;

    public EnrollmentResource(EnrollmentService enrollment, AgentTokenService tokens, AgentIdentities identities,
            CollectorConfig config, AuditTrail audit) {
        this.enrollment = enrollment;
        this.tokens = tokens;
        this.identities = identities;
        this.config = config;
        this.audit = audit;
    }

    @POST
    @Path("api/v1/agents/enroll")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Enroll an agent with its site's enrollment secret, its public key and a proof of "
            + "possession, and get an agent token",
            description = "Trust on first use: the first enrollment of a machine id binds it to its public key; a later "
                    + "one is accepted only with the bound key and a new proof (the site may change: machines move).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = EnrollmentService.Enrollment.class),
            examples = @ExampleObject(name = "a client of site P01", value = EXAMPLE)))
    @APIResponse(responseCode = "200", description = "the agent token (an ES256 JWT whose subject is the machine id "
            + "and whose claim site is the site code), valid at most 24 hours",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AgentTokenService.IssuedToken.class)))
    @APIResponse(responseCode = "400", description = "invalid machine id, site code, public key (/publicKey) or proof "
            + "(/proof); problem details name the field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "wrong enrollment secret",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "the machine id is bound to another key; nothing changed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "a body over 16 KiB",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public AgentTokenService.IssuedToken enroll(@HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength,
            InputStream body) throws IOException {
        int max = config.enrollment().maxBodyBytes();
        // Read no more than the limit allows, whatever the HTTP server's own (larger) limit for imports.
        if (contentLength != null && contentLength > max) {
            throw tooLarge(max);
        }
        byte[] bytes = body.readNBytes(max + 1);
        if (bytes.length > max) {
            throw tooLarge(max);
        }
        return enrollment.enroll(bytes);
    }

    private static ProblemException tooLarge(int max) {
        return new ProblemException(Problem.of(413, "payload-too-large", "Payload too large",
                "an enrollment may be at most " + max + " bytes"));
    }

    @DELETE
    @Path("api/v1/agents/{machineId}/identity")
    @RolesAllowed(Roles.OPERATOR)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @SecurityRequirement(name = SnapshotResource.BEARER)
    @Operation(summary = "Release a machine's identity: its next enrollment binds whatever key it sends",
            description = "Audited: the reset, or its refusal (400, 404), goes to the audit trail (tlsrollout.audit.v1) "
                    + "with the caller's name; a reset is answered only once Kafka has acknowledged its record.")
    @APIResponse(responseCode = "204", description = "the binding is released")
    @APIResponse(responseCode = "401", description = "no token, or a wrong one",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "not the operator token",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "the machine id is bound to no key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Kafka did not acknowledge the audit record in time: the binding "
            + "is kept (nothing changed); retry after Retry-After seconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response release(@PathParam("machineId") String machineId) {
        String actor = identity.getPrincipal().getName();
        String target = "agent/" + machineId;
        if (!EnrollmentService.MACHINE_ID.matcher(machineId).matches()) {
            throw refused(target, actor, ProblemException.invalidField("/machineId",
                    "must match " + EnrollmentService.MACHINE_ID.pattern()));
        }
        // The record is acknowledged before the release commits: no reset without its record (docs/decisions.md).
        boolean released = identities.release(machineId, () -> audit.done(AuditEvent.Action.AGENT_IDENTITY_RESET,
                target, actor, 204, "identity released: the next enrollment binds whatever key it sends"));
        if (!released) {
            throw refused(target, actor, ProblemException.notFound("machine " + machineId + " is bound to no key"));
        }
        LOG.infof("identity of machine %s released by %s: its next enrollment binds afresh", machineId, actor);
        return Response.noContent().build();
    }

    private ProblemException refused(String target, String actor, ProblemException refusal) {
        audit.refused(AuditEvent.Action.AGENT_IDENTITY_RESET, target, actor, refusal);
        return refusal;
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
