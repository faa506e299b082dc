package org.tlsrollout.remediation.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.tlsrollout.common.problem.Problem;
import org.tlsrollout.common.security.Roles;
import org.tlsrollout.remediation.machine.MachineQueries;
import org.tlsrollout.remediation.machine.Progress;

/** How far the rollout is, per site and phase (api.md, "remediation-service"). */
@Path("/api/v1/progress")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
@Tag(name = "progress", description = "Counts of machines per site, phase and state")
@SecurityRequirement(name = MachineResource.BEARER)
public class ProgressResource {
    private final MachineQueries queries;

    public ProgressResource(MachineQueries queries) {
        this.queries = queries;
    }

    @GET
    @Operation(summary = "For every site and over all sites: how many machines show each state in each phase")
    @APIResponse(responseCode = "200", description = "the counts, every state listed (0 included)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Progress.class)))
    @APIResponse(responseCode = "401", description = "no token, or an unknown one",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Progress progress() {
        return queries.progress();
    }
}
