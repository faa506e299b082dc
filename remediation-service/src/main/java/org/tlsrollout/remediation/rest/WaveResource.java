package org.tlsrollout.remediation.rest;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tlsrollout.contracts.FieldError;
import org.tlsrollout.remediation.WaveState;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.tlsrollout.common.problem.Problem;
import org.tlsrollout.common.problem.ProblemException;
import org.tlsrollout.common.security.Roles;
import org.tlsrollout.contracts.AuditEvent;
import org.tlsrollout.remediation.audit.AuditRefusals;
import org.tlsrollout.remediation.audit.Audited;
import org.tlsrollout.remediation.wave.DryRunPlan;
import org.tlsrollout.remediation.wave.WaveQueries;
import org.tlsrollout.remediation.wave.WaveRequest;
import org.tlsrollout.remediation.wave.WaveService;
import org.tlsrollout.remediation.wave.WaveTransitions;
import org.tlsrollout.remediation.wave.WaveView;

/** Waves (api.md, "remediation-service"): operators create and steer them, viewers read them. */
@Path("/api/v1/waves")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "waves", description = "Phases rolled out over sites in batches of signed fix jobs")
@SecurityRequirement(name = MachineResource.BEARER)
@APIResponse(responseCode = "401", description = "no token, or an unknown one",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "the token may not do this (operator actions need the operator token)",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class WaveResource {
    static final String EXAMPLE = """
            {"name": "clients P01 week 1", "phase": "CLIENTS", "sites": ["P01"],
             "selector": {"roles": ["CLIENT"], "osVersions": ["6.1"]},
             "batchSize": 500, "maxFailureRate": 0.05}""";
    static final String DISABLE_LEGACY_EXAMPLE = """
            {"name": "disable legacy P01", "phase": "DISABLE_LEGACY", "sites": ["P01"], "percent": 10,
             "maxFailureRate": 0.01, "acknowledgeStale": false, "dryRun": true}""";

    private final WaveService waves;
    private final WaveTransitions transitions;
    private final WaveQueries queries;
    private final SecurityIdentity identity;
    private final AuditRefusals.Skip notAudited;

    public WaveResource(WaveService waves, WaveTransitions transitions, WaveQueries queries, SecurityIdentity identity, AuditRefusals.Skip notAudited) {
        this.waves = waves;
        this.transitions = transitions;
        this.queries = queries;
        this.identity = identity;
        this.notAudited = notAudited;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Audited(value = AuditEvent.Action.WAVE_CREATE, target = "wave")
    @Operation(summary = "Create a wave, or with dryRun plan one",
            description = "Targets the machines of the sites that are NONCOMPLIANT in the phase (not STALE, not"
                    + " PENDING_RESTART), match the selector, and have no ISSUED job of another wave, in batches of"
                    + " batchSize machines or percent of them. The next batch is released once the current one has"
                    + " reported (or its jobs expired) with a failure rate within maxFailureRate; above it the wave"
                    + " turns HALTED. A DISABLE_LEGACY wave must pass the orphan gate (rules.md). With dryRun: what it"
                    + " would target and whether the gate is open; nothing is created. The creation, or its refusal, is"
                    + " written to the audit trail (a dry run is not).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = WaveRequest.class),
            examples = {@ExampleObject(name = "clients", value = EXAMPLE),
                    @ExampleObject(name = "disable legacy, dry run", value = DISABLE_LEGACY_EXAMPLE)}))
    @APIResponse(responseCode = "201", description = "the wave, PLANNED (the engine starts it at once)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WaveView.class)))
    @APIResponse(responseCode = "200", description = "dryRun: the plan; nothing was created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DryRunPlan.class)))
    @APIResponse(responseCode = "400", description = "invalid; problem details name each field (JSON Pointer)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "the orphan gate is closed: problem details with extension members"
            + " blocking {total, byPhase {CLIENTS, SITE_SYSTEMS, VERIFY}, stale, neverReported} and machines (up to 100"
            + " ids)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "the Idempotency-Key was used with another body",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(
            @Parameter(description = "1 to 128 printable characters: a repeat with the same key and body answers the"
                    + " wave the first request made (200, same id) and creates nothing")
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            WaveRequest request) {
        boolean dryRun = request != null && Boolean.TRUE.equals(request.dryRun());
        if (dryRun) {
            notAudited.skip();
        }
        if (idempotencyKey != null && !WaveService.IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ProblemException.invalidField("Idempotency-Key", "1 to 128 printable ASCII characters");
        }
        if (dryRun) {
            return Response.ok(waves.plan(request)).build();
        }
        WaveService.Created created = waves.create(request, actor(), idempotencyKey);
        WaveView wave = created.wave();
        if (created.repeated()) {
            return Response.ok(wave).location(URI.create("/api/v1/waves/" + wave.id())).build();
        }
        return Response.created(URI.create("/api/v1/waves/" + wave.id())).entity(wave).build();
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The waves, newest first, with their counts and history",
            description = "Filtered by state; paged when size is given (the answer stays an array, and header"
                    + " X-Total-Count holds how many waves match), else every matching wave.")
    @APIResponse(responseCode = "200", description = "the waves", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = WaveView.class)))
    @APIResponse(responseCode = "400", description = "a parameter is invalid; problem details name each one",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response list(
            @Parameter(description = "only waves in this state", schema = @Schema(implementation = WaveState.class))
            @QueryParam("state") String state,
            @Parameter(description = "page number, from 0 (with size)") @QueryParam("page") String page,
            @Parameter(description = "page size, 1 to 500") @QueryParam("size") String size) {
        List<FieldError> errors = new ArrayList<>();
        WaveState stateFilter = null;
        if (state != null && !state.isEmpty()) {
            try {
                stateFilter = WaveState.valueOf(state);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("state", "'" + state + "' is not one of " + Arrays.toString(WaveState.values())));
            }
        }
        Integer pageNumber = QueryParameters.whole("page", page, 0, 1_000_000, errors);
        Integer pageSize = QueryParameters.whole("size", size, 1, 500, errors);
        if (pageNumber != null && pageSize == null && errors.isEmpty()) {
            errors.add(new FieldError("page", "page needs size"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("invalid query parameters", errors);
        }
        WaveQueries.Page result = queries.waves(stateFilter, pageNumber == null ? 0 : pageNumber, pageSize);
        return Response.ok(result.items()).header("X-Total-Count", result.total()).build();
    }


    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One wave: its state, counts, batching and history")
    @APIResponse(responseCode = "200", description = "the wave",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WaveView.class)))
    @APIResponse(responseCode = "404", description = "no such wave",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public WaveView wave(@Parameter(description = "the wave id") @PathParam("id") String id) {
        return queries.wave(id).orElseThrow(() -> ProblemException.notFound("no wave '" + id + "'"));
    }

    @POST
    @Path("/{id}/pause")
    @RolesAllowed(Roles.OPERATOR)
    @Audited(value = AuditEvent.Action.WAVE_PAUSE, target = "wave", idParameter = "id")
    @Operation(summary = "Pause a PLANNED or RUNNING wave: it issues nothing more; the jobs issued stay pollable")
    @APIResponse(responseCode = "200", description = "the wave, PAUSED",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WaveView.class)))
    @APIResponse(responseCode = "404", description = "no such wave",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "the wave is in a state that cannot be paused",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public WaveView pause(@PathParam("id") String id) {
        return transitions.pause(id, actor());
    }

    @POST
    @Path("/{id}/resume")
    @RolesAllowed(Roles.OPERATOR)
    @Audited(value = AuditEvent.Action.WAVE_RESUME, target = "wave", idParameter = "id")
    @Operation(summary = "Resume a PAUSED or HALTED wave",
            description = "Resuming a wave HALTED at the end of a batch accepts that batch's failure rate and releases"
                    + " the next batch; the rate is checked again at the end of the next one.")
    @APIResponse(responseCode = "200", description = "the wave, RUNNING",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WaveView.class)))
    @APIResponse(responseCode = "404", description = "no such wave",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "the wave is in a state that cannot be resumed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public WaveView resume(@PathParam("id") String id) {
        return transitions.resume(id, actor());
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed(Roles.OPERATOR)
    @Audited(value = AuditEvent.Action.WAVE_CANCEL, target = "wave", idParameter = "id")
    @Operation(summary = "Cancel a wave for good: its unreported jobs are cancelled and no longer served")
    @APIResponse(responseCode = "200", description = "the wave, CANCELLED",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WaveView.class)))
    @APIResponse(responseCode = "404", description = "no such wave",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "the wave has ended already",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public WaveView cancel(@PathParam("id") String id) {
        return transitions.cancel(id, actor());
    }

    @POST
    @Path("/{id}/rollback")
    @RolesAllowed(Roles.OPERATOR)
    @Audited(value = AuditEvent.Action.WAVE_ROLLBACK, target = "wave", idParameter = "id")
    @Operation(summary = "Roll a wave back: a new wave undoing the jobs that succeeded",
            description = "Targets the machines where the wave's jobs succeeded and signs, for each, a job with an"
                    + " UNDO_JOB action per job it succeeded in the wave (newest first), then RESTART: the agent restores"
                    + " what its own undo log holds. No value is sent: reported previous values are kept for the audit"
                    + " trail only. Same phase, sites and batching. Installed updates and software are not undone. The"
                    + " wave must not be PLANNED or RUNNING (pause or cancel it first).")
    @APIResponse(responseCode = "201", description = "the rollback wave, PLANNED",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WaveView.class)))
    @APIResponse(responseCode = "404", description = "no such wave",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "the wave is PLANNED or RUNNING",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response rollback(@PathParam("id") String id) {
        WaveView rollback = waves.rollback(id, actor());
        return Response.created(URI.create("/api/v1/waves/" + rollback.id())).entity(rollback).build();
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }
}
