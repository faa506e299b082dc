package org.tlsrollout.remediation.audit;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.tlsrollout.common.problem.Problem;
import org.tlsrollout.common.problem.ProblemException;
import org.tlsrollout.common.security.Roles;
import org.tlsrollout.contracts.AuditEvent;
import org.tlsrollout.contracts.FieldError;
import org.tlsrollout.remediation.rest.MachineResource;
import org.tlsrollout.remediation.rest.QueryParameters;

/** The audit trail (issue 18): who did what, when, to what, and whether it was done. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit", description = "Every operator action of every service, with who, when, what and the outcome")
@SecurityRequirement(name = MachineResource.BEARER)
@APIResponse(responseCode = "401", description = "no token, or an unknown one",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "the token may not read (an agent's)",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class AuditResource {
    private final AuditTrail trail;

    public AuditResource(AuditTrail trail) {
        this.trail = trail;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The audit trail, newest first",
            description = "Operator actions done and refused, of this service and of the others (from topic"
                    + " tlsrollout.audit.v1). Filtered by actor, action, target and time (since inclusive, until"
                    + " exclusive); paged when size is given (the answer stays an array, and header X-Total-Count holds"
                    + " how many events match), else every matching event.")
    @APIResponse(responseCode = "200", description = "the events", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = AuditEvent.class)))
    @APIResponse(responseCode = "400", description = "a parameter is invalid; problem details name each one",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response list(
            @Parameter(description = "only this principal's actions") @QueryParam("actor") String actor,
            @Parameter(description = "only this action", schema = @Schema(implementation = AuditEvent.Action.class))
            @QueryParam("action") String action,
            @Parameter(description = "only actions on this target, e.g. wave/<id>, machine/<id>, inventory")
            @QueryParam("target") String target,
            @Parameter(description = "only events at or after this instant (ISO 8601, e.g. 2026-12-06T08:00:00Z)")
            @QueryParam("since") String since,
            @Parameter(description = "only events before this instant (ISO 8601)") @QueryParam("until") String until,
            @Parameter(description = "page number, from 0 (with size)") @QueryParam("page") String page,
            @Parameter(description = "page size, 1 to 500") @QueryParam("size") String size) {
        List<FieldError> errors = new ArrayList<>();
        AuditEvent.Action actionFilter = null;
        if (present(action)) {
            try {
                actionFilter = AuditEvent.Action.valueOf(action);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("action", "'" + action + "' is not one of "
                        + Arrays.toString(AuditEvent.Action.values())));
            }
        }
        Instant sinceFilter = instant("since", since, errors);
        Instant untilFilter = instant("until", until, errors);
        Integer pageNumber = QueryParameters.whole("page", page, 0, 1_000_000, errors);
        Integer pageSize = QueryParameters.whole("size", size, 1, 500, errors);
        if (pageNumber != null && pageSize == null && errors.isEmpty()) {
            errors.add(new FieldError("page", "page needs size"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("invalid query parameters", errors);
        }
        AuditTrail.Page result = trail.list(new AuditTrail.Filter(present(actor) ? actor : null, actionFilter,
                present(target) ? target : null, sinceFilter, untilFilter), pageNumber == null ? 0 : pageNumber, pageSize);
        return Response.ok(result.items()).header("X-Total-Count", result.total()).build();
    }

    private static boolean present(String value) {
        return value != null && !value.isEmpty();
    }

    private static Instant instant(String field, String value, List<FieldError> errors) {
        if (!present(value)) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "'" + value + "' is not an ISO 8601 instant such as 2026-12-06T08:00:00Z"));
            return null;
        }
    }
}
