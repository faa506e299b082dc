package org.tlsrollout.remediation.rest;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.tlsrollout.common.problem.Problem;
import org.tlsrollout.common.security.Roles;

/** Who the bearer of a token is, for the ui (which shows operator actions to operators only). */
@Path("/api/v1/session")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
@Tag(name = "session", description = "The roles of the token in use")
@SecurityRequirement(name = MachineResource.BEARER)
public class SessionResource {
    private final SecurityIdentity identity;

    public SessionResource(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** The roles of the token: {@code ["operator", "viewer"]} or {@code ["viewer"]}. */
    public record Session(List<String> roles) {
    }

    @GET
    @Operation(summary = "The roles this token grants: [\"operator\", \"viewer\"] or [\"viewer\"]")
    @APIResponse(responseCode = "200", description = "the roles",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Session.class)))
    @APIResponse(responseCode = "401", description = "no token, or an unknown one",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "not an operator or viewer token (an agent token)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Session session() {
        List<String> roles = new ArrayList<>();
        for (String role : List.of(Roles.OPERATOR, Roles.VIEWER)) {
            if (identity.hasRole(role)) {
                roles.add(role);
            }
        }
        return new Session(roles);
    }
}
