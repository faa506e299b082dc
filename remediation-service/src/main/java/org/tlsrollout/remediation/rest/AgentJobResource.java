package org.tlsrollout.remediation.rest;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.tlsrollout.common.problem.Problem;
import org.tlsrollout.common.problem.ProblemException;
import org.tlsrollout.common.security.AgentTokens;
import org.tlsrollout.common.security.Roles;
import org.tlsrollout.contracts.AgentJob;
import org.tlsrollout.contracts.FieldError;
import org.tlsrollout.contracts.JobResult;
import org.tlsrollout.contracts.PreviousValue;
import org.tlsrollout.remediation.job.AgentJobs;

/**
 * The agents' endpoints (api.md): a machine polls its signed jobs and reports their results, with the agent token the
 * collector gave it, whose subject must be the machine of the path (else 403).
 */
@Path("/api/v1/agents/{machineId}/jobs")
@RolesAllowed(Roles.AGENT)
@Tag(name = "agents", description = "Signed fix jobs for the agents, and their results")
@SecurityScheme(securitySchemeName = AgentJobResource.AGENT_TOKEN, type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "JWT", description = "the agent token from POST /api/v1/agents/enroll on the collector")
@SecurityRequirement(name = AgentJobResource.AGENT_TOKEN)
@APIResponse(responseCode = "401", description = "no token, or not a valid agent token",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "not an agent token, or the token of another machine",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class AgentJobResource {
    static final String AGENT_TOKEN = "agentToken";
    static final int MAX_PREVIOUS_VALUES = 256;
    static final String RESULT_EXAMPLE = """
            {"outcome": "SUCCEEDED", "detail": "applied 3 actions; wrote 2 registry values; restarting",
             "previousValues": [
               {"key": "HKLM\\\\SYSTEM\\\\CurrentControlSet\\\\Control\\\\SecurityProviders\\\\SCHANNEL\\\\Protocols\\\\TLS 1.2\\\\Client",
                "name": "Enabled", "value": null},
               {"key": "HKLM\\\\SOFTWARE\\\\Microsoft\\\\.NETFramework\\\\v4.0.30319", "name": "SchUseStrongCrypto", "value": 0}]}""";

    private final AgentJobs jobs;
    private final SecurityIdentity identity;

    public AgentJobResource(AgentJobs jobs, SecurityIdentity identity) {
        this.jobs = jobs;
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The signed jobs of this machine not yet reported, in seq order",
            description = "Each item is {jobId, jws}: the job as a JWS (ES256, kid of /.well-known/jwks.json, typ"
                    + " tlsrollout-job+jwt) whose jti is jobId.")
    @APIResponse(responseCode = "200", description = "the jobs (often none)", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = AgentJob.class)))
    public List<AgentJob> poll(@PathParam("machineId") String machineId) {
        AgentTokens.requireMachine(identity, machineId);
        return jobs.pending(machineId);
    }

    @POST
    @Path("/{jobId}/result")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Report the result of a job (idempotent)",
            description = "Records the outcome, the detail and the previous values of the registry values the agent"
                    + " wrote (value null: it was absent), for the audit trail only (a rollback sends UNDO_JOB, never"
                    + " values). A SUCCEEDED job that asked for a restart leaves"
                    + " the machine PENDING_RESTART in its phase until a snapshot shows it restarted. Reporting a job"
                    + " again is harmless: 204, nothing changes.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = JobResult.class),
            examples = @ExampleObject(name = "succeeded", value = RESULT_EXAMPLE)))
    @APIResponse(responseCode = "204", description = "recorded (or recorded already)")
    @APIResponse(responseCode = "400", description = "not a result; problem details name each invalid field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "this machine has no such job",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response report(@PathParam("machineId") String machineId, @PathParam("jobId") String jobId,
            JobResult result) {
        AgentTokens.requireMachine(identity, machineId);
        validate(result);
        AgentJobs.Report report = jobs.report(machineId, jobId, result);
        if (report == AgentJobs.Report.UNKNOWN_JOB) {
            throw ProblemException.notFound("machine '" + machineId + "' has no job '" + jobId + "'");
        }
        return Response.noContent().build();
    }

    private static void validate(JobResult result) {
        if (result == null) {
            throw ProblemException.invalidField("", "the body must be a result: {\"outcome\", \"detail\", \"previousValues\"}");
        }
        List<FieldError> errors = new ArrayList<>();
        if (result.outcome() == null) {
            errors.add(new FieldError("/outcome", "outcome is required: SUCCEEDED, FAILED or REJECTED"));
        }
        if (result.previousValues().size() > MAX_PREVIOUS_VALUES) {
            errors.add(new FieldError("/previousValues", "at most " + MAX_PREVIOUS_VALUES + " values"));
        }
        for (int i = 0; i < result.previousValues().size(); i++) {
            PreviousValue value = result.previousValues().get(i);
            if (value == null) {
                errors.add(new FieldError("/previousValues/" + i, "a previous value is {key, name, value}"));
                continue;
            }
            if (value.key() == null || value.key().isBlank()) {
                errors.add(new FieldError("/previousValues/" + i + "/key", "key is required"));
            }
            if (value.name() == null || value.name().isBlank()) {
                errors.add(new FieldError("/previousValues/" + i + "/name", "name is required"));
            }
            if (value.value() != null && (value.value() < 0 || value.value() > 0xFFFF_FFFFL)) {
                errors.add(new FieldError("/previousValues/" + i + "/value", "a DWORD is from 0 to 4294967295"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("the result is invalid", errors);
        }
    }
}
