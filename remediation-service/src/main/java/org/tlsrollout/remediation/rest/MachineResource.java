package org.tlsrollout.remediation.rest;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
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
import org.tlsrollout.contracts.AuditEvent;
import org.tlsrollout.contracts.FieldError;
import org.tlsrollout.remediation.audit.Audited;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleStatus;
import org.tlsrollout.remediation.machine.MachineFilter;
import org.tlsrollout.remediation.machine.MachinePage;
import org.tlsrollout.remediation.machine.MachineQueries;
import org.tlsrollout.remediation.machine.MachineRetirement;
import org.tlsrollout.remediation.machine.MachineSummary;
import org.tlsrollout.remediation.machine.MachineUpdate;
import org.tlsrollout.remediation.machine.MachineView;

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
    public static final String BEARER = "bearer";
    static final int DEFAULT_SIZE = 50;
    static final int MAX_SIZE = 500;
    static final String CSV = "text/csv";
    static final String CSV_HEADER = "machineId,siteCode,machineClass,lastSnapshotAt,neverReported,retired,CLIENTS,"
            + "SITE_SYSTEMS,VERIFY,DISABLE_LEGACY";
    /** Machines read per query while the CSV is written. */
    static final int CSV_PART = 5000;

    private final MachineQueries queries;
    private final MachineRetirement retirement;
    private final SecurityIdentity identity;

    public MachineResource(MachineQueries queries, MachineRetirement retirement, SecurityIdentity identity) {
        this.queries = queries;
        this.retirement = retirement;
        this.identity = identity;
    }

    @POST
    @Path("/{machineId}/retire")
    @RolesAllowed(Roles.OPERATOR)
    @Audited(value = AuditEvent.Action.MACHINE_RETIRE, target = "machine", idParameter = "machineId")
    @Operation(summary = "Retire a machine: it leaves progress, the orphan gate, the metrics and every wave",
            description = "Its targets not yet issued are skipped and its unreported jobs cancelled. A later snapshot"
                    + " from it, or an inventory line whose lastSeenAt is after the retirement, brings it back.")
    @APIResponse(responseCode = "200", description = "the machine, retired",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MachineView.class)))
    @APIResponse(responseCode = "403", description = "the operator token is needed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no such machine",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public MachineView retire(@PathParam("machineId") String machineId) {
        if (!retirement.retire(machineId, identity.getPrincipal().getName())) {
            throw unknown(machineId);
        }
        return machine(machineId);
    }

    @POST
    @Path("/{machineId}/unretire")
    @RolesAllowed(Roles.OPERATOR)
    @Audited(value = AuditEvent.Action.MACHINE_UNRETIRE, target = "machine", idParameter = "machineId")
    @Operation(summary = "Addition: bring a retired machine back at once (it counts again, and waves may target it)")
    @APIResponse(responseCode = "200", description = "the machine, no longer retired",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MachineView.class)))
    @APIResponse(responseCode = "403", description = "the operator token is needed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no such machine",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public MachineView unretire(@PathParam("machineId") String machineId) {
        if (!retirement.unretire(machineId, identity.getPrincipal().getName())) {
            throw unknown(machineId);
        }
        return machine(machineId);
    }

    private static ProblemException unknown(String machineId) {
        return ProblemException.notFound("no machine '" + machineId + "' is known");
    }

    @GET
    @Path("/{machineId}")
    @Operation(summary = "One machine: the state it shows in each phase, its findings and its jobs")
    @APIResponse(responseCode = "200", description = "the machine",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MachineView.class)))
    @APIResponse(responseCode = "404", description = "no evaluation nor inventory line of this machine has been received",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public MachineView machine(@PathParam("machineId") String machineId) {
        return queries.machine(machineId)
                .orElseThrow(() -> unknown(machineId));
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, CSV})
    @Operation(summary = "A page of machines, in machine id order, with the state each shows in each phase;"
            + " with Accept: text/csv every matching machine as CSV",
            description = "Filters: site; the state shown in a phase (PENDING_RESTART and STALE included); a finding of"
                    + " a rule and/or of a status; never reported or not; retired or not (both by default, each flagged)."
                    + " With Accept: text/csv, every matching machine (no paging), streamed, header row "
                    + CSV_HEADER)
    @APIResponse(responseCode = "200", description = "the page, or the CSV", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MachinePage.class)),
            @Content(mediaType = CSV, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "400", description = "a parameter is invalid; problem details name each one",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response list(
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
            @Parameter(description = "addition: only machines known from inventory that never reported (true), or"
                    + " only those that reported (false)", schema = @Schema(enumeration = {"true", "false"}))
            @QueryParam("neverReported") String neverReported,
            @Parameter(description = "addition: retired machines only (true), or the others (false); both by default,"
                    + " each flagged",
                    schema = @Schema(enumeration = {"true", "false"}))
            @QueryParam("retired") String retired,
            @Parameter(description = "page number, from 0") @QueryParam("page") String page,
            @Parameter(description = "page size, 1 to " + MAX_SIZE + ", default " + DEFAULT_SIZE)
            @QueryParam("size") String size,
            @Context HttpHeaders headers) {
        List<FieldError> errors = new ArrayList<>();
        MachineFilter filter = filter(site, phase, state, rule, status, neverReported, retired, errors);
        if (wantsCsv(headers)) {
            if (!errors.isEmpty()) {
                throw ProblemException.invalid("invalid query parameters", errors);
            }
            return csv(filter);
        }
        int pageNumber = number("page", page, 0, 0, Integer.MAX_VALUE / MAX_SIZE, errors);
        int pageSize = number("size", size, DEFAULT_SIZE, 1, MAX_SIZE, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("invalid query parameters", errors);
        }
        return Response.ok(queries.list(filter, pageNumber, pageSize), MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** CSV when the client's most preferred type it names exactly (not a wildcard) is text/csv. */
    static boolean wantsCsv(HttpHeaders headers) {
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isWildcardType() || type.isWildcardSubtype()) {
                continue;
            }
            if (type.getType().equalsIgnoreCase("text") && type.getSubtype().equalsIgnoreCase("csv")) {
                return true;
            }
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
        }
        return false;
    }

    /** Every machine matching the filter, as CSV, read a part at a time ({@link #CSV_PART}) and streamed. */
    private Response csv(MachineFilter filter) {
        StreamingOutput out = stream -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
            writer.write(CSV_HEADER);
            writer.write("\r\n");
            String after = null;
            while (true) {
                List<MachineSummary> part = queries.after(filter, after, CSV_PART);
                for (MachineSummary m : part) {
                    writer.write(csvRow(m));
                }
                writer.flush();
                if (part.size() < CSV_PART) {
                    break;
                }
                after = part.get(part.size() - 1).machineId();
            }
            writer.flush();
        };
        return Response.ok(out, CSV + "; charset=utf-8").build();
    }

    /** One CSV row: every value is an id, an enum name or a time, none needs quoting. */
    static String csvRow(MachineSummary m) {
        StringBuilder b = new StringBuilder(160);
        b.append(m.machineId()).append(',').append(m.siteCode()).append(',')
                .append(m.machineClass() == null ? "" : m.machineClass().wireName()).append(',')
                .append(m.lastSnapshotAt() == null ? "" : m.lastSnapshotAt().toString()).append(',')
                .append(m.neverReported()).append(',').append(m.retired());
        for (Phase phase : Phase.values()) {
            PhaseState shown = m.phases().get(phase);
            b.append(',').append(shown == null ? "" : shown.name());
        }
        return b.append("\r\n").toString();
    }

    private static MachineFilter filter(String site, String phase, String state, String rule, String status,
            String neverReported, String retired, List<FieldError> errors) {
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
        Optional<Boolean> never = present(neverReported).flatMap(v -> bool("neverReported", v, errors));
        Optional<Boolean> retiredOnly = present(retired).flatMap(v -> bool("retired", v, errors));
        if (!errors.isEmpty() || (stateFilter.isPresent() && phaseFilter.isEmpty())) {
            return null;
        }
        return new MachineFilter(siteCode, phaseFilter, stateFilter, ruleFilter, statusFilter, never, retiredOnly);
    }

    private static Optional<Boolean> bool(String field, String value, List<FieldError> errors) {
        if (value.equals("true") || value.equals("false")) {
            return Optional.of(Boolean.parseBoolean(value));
        }
        errors.add(new FieldError(field, "'" + value + "' is not true or false"));
        return Optional.empty();
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
        Integer n = QueryParameters.whole(field, value, min, max, errors);
        return n == null ? fallback : n;
    }
}
