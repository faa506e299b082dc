package org.tlsrollout.remediation.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.tlsrollout.common.problem.Problem;
import org.tlsrollout.common.problem.ProblemException;
import org.tlsrollout.common.security.Roles;
import org.tlsrollout.contracts.FieldError;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleStatus;
import org.tlsrollout.remediation.service.MachineFilter;
import org.tlsrollout.remediation.service.MachinePage;
import org.tlsrollout.remediation.service.MachineQueries;
import org.tlsrollout.remediation.service.MachineUpdate;
import org.tlsrollout.remediation.service.MachineView;

/** The estate, machine by machine (api.md, "remediation-service"). */
@Path("/api/v1/machines")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
@Tag(name = "machines", description = "The newest evaluation of every machine and the state it shows in each phase")
@SecurityScheme(securitySchemeName = MachineResource.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "the operator or viewer token")
@SecurityRequirement(name = MachineResource.BEARER)
@APIResponse(responseCode = "401", description = "no token, or an unknown one",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class MachineResource {
    static final String BEARER = "bearer";
    static final int DEFAULT_SIZE = 50;
    static final int MAX_SIZE = 500;

    private final MachineQueries queries;

    public MachineResource(MachineQueries queries) {
        this.queries = queries;
    }

    @GET
    @Path("/{machineId}")
    @Operation(summary = "One machine: the state it shows in each phase, its findings and its jobs")
    @APIResponse(responseCode = "200", description = "the machine",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MachineView.class)))
    @APIResponse(responseCode = "404", description = "no evaluation of this machine has been received",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public MachineView machine(@PathParam("machineId") String machineId) {
        return queries.machine(machineId)
                .orElseThrow(() -> ProblemException.notFound("no evaluation of machine '" + machineId + "' has been received"));
    }

    @GET
    @Operation(summary = "A page of machines, in machine id order, with the state each shows in each phase",
            description = "Filters: site; the state shown in a phase (PENDING_RESTART and STALE included); a finding of"
                    + " a rule and/or of a status")
    @APIResponse(responseCode = "200", description = "the page",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MachinePage.class)))
    @APIResponse(responseCode = "400", description = "a parameter is invalid; problem details name each one",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public MachinePage list(
            @Parameter(description = "site code (3 characters, A-Z and 0-9)") @QueryParam("site") String site,
            @Parameter(description = "the phase that state filters", schema = @Schema(implementation = Phase.class))
            @QueryParam("phase") String phase,
            @Parameter(description = "only machines showing this state in phase; needs phase",
                    schema = @Schema(implementation = PhaseState.class))
            @QueryParam("state") String state,
            @Parameter(description = "only machines with a finding (FAIL or UNKNOWN result) of this rule",
                    schema = @Schema(implementation = RuleId.class))
            @QueryParam("rule") String rule,
            @Parameter(description = "only machines with a finding of this status (of rule, when given)",
                    schema = @Schema(enumeration = {"FAIL", "UNKNOWN"}))
            @QueryParam("status") String status,
            @Parameter(description = "page number, from 0") @QueryParam("page") String page,
            @Parameter(description = "page size, 1 to " + MAX_SIZE + ", default " + DEFAULT_SIZE)
            @QueryParam("size") String size) {
        List<FieldError> errors = new ArrayList<>();
        Optional<String> siteCode = present(site).filter(s -> {
            boolean valid = MachineUpdate.SITE_CODE.matcher(s).matches();
            if (!valid) {
                errors.add(new FieldError("site", "'" + s + "' is not a site code (3 characters, A-Z and 0-9)"));
            }
            return valid;
        });
        Optional<Phase> phaseFilter = present(phase).flatMap(p -> named(Phase.class, "phase", p, errors));
        Optional<PhaseState> stateFilter = present(state).flatMap(s -> named(PhaseState.class, "state", s, errors));
        if (present(state).isPresent() && present(phase).isEmpty()) {
            errors.add(new FieldError("state", "state filters the state of one phase: give phase too"));
        }
        Optional<RuleId> ruleFilter = present(rule).flatMap(r -> named(RuleId.class, "rule", r, errors));
        Optional<RuleStatus> statusFilter = present(status).flatMap(s -> named(RuleStatus.class, "status", s, errors));
        if (statusFilter.isPresent() && statusFilter.get() != RuleStatus.FAIL && statusFilter.get() != RuleStatus.UNKNOWN) {
            errors.add(new FieldError("status", "findings hold FAIL and UNKNOWN results only"));
        }
        int pageNumber = number("page", page, 0, 0, Integer.MAX_VALUE / MAX_SIZE, errors);
        int pageSize = number("size", size, DEFAULT_SIZE, 1, MAX_SIZE, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("invalid query parameters", errors);
        }
        return queries.list(new MachineFilter(siteCode, phaseFilter, stateFilter, ruleFilter, statusFilter), pageNumber,
                pageSize);
    }

    private static Optional<String> present(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isEmpty());
    }

    private static <E extends Enum<E>> Optional<E> named(Class<E> type, String field, String value,
            List<FieldError> errors) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return Optional.of(constant);
            }
        }
        errors.add(new FieldError(field, "'" + value + "' is not one of " + Arrays.toString(type.getEnumConstants())));
        return Optional.empty();
    }

    private static int number(String field, String value, int fallback, int min, int max, List<FieldError> errors) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new FieldError(field, "'" + value + "' is not a whole number from " + min + " to " + max));
        return fallback;
    }
}
