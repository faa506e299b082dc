package org.tlsrollout.remediation.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.tlsrollout.common.problem.Problem;
import org.tlsrollout.common.problem.ProblemException;
import org.tlsrollout.common.security.Roles;
import org.tlsrollout.remediation.machine.FindingCount;
import org.tlsrollout.remediation.machine.MachineQueries;
import org.tlsrollout.remediation.machine.MachineUpdate;

/** What is failing across the estate, rule by rule. */
@Path("/api/v1/findings")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
@Tag(name = "findings", description = "Machines with a FAIL or UNKNOWN result, per rule")
@SecurityRequirement(name = MachineResource.BEARER)
@APIResponse(responseCode = "401", description = "no token, or an unknown one",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class FindingsResource {
    private final MachineQueries queries;

    public FindingsResource(MachineQueries queries) {
        this.queries = queries;
    }

    /** GET /api/v1/findings: one entry per rule, phase and status, most machines first. */
    public record Findings(List<FindingCount> findings) {
    }

    @GET
    @Operation(summary = "How many machines have a FAIL or UNKNOWN result of each rule, most first",
            description = "Use GET /api/v1/machines?rule=&status= for the machines themselves.")
    @APIResponse(responseCode = "200", description = "the counts",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Findings.class)))
    @APIResponse(responseCode = "400", description = "site is not a site code",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Findings findings(@Parameter(description = "only the machines of this site") @QueryParam("site") String site) {
        Optional<String> siteCode = Optional.ofNullable(site).filter(s -> !s.isEmpty());
        if (siteCode.isPresent() && !MachineUpdate.SITE_CODE.matcher(siteCode.get()).matches()) {
            throw ProblemException.invalidField("site", "'" + site + "' is not a site code (3 characters, A-Z and 0-9)");
        }
        return new Findings(queries.findings(siteCode));
    }
}
