package org.tlsrollout.remediation.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.tlsrollout.remediation.job.JobSigner;

/** The public keys that verify job signatures (api.md), for the agents. */
@Path("/.well-known/jwks.json")
@PermitAll
@Tag(name = "agents")
public class JwksResource {
    private final JobSigner signer;

    public JwksResource(JobSigner signer) {
        this.signer = signer;
    }

    @GET
    @Produces({"application/jwk-set+json", "application/json"})
    @Operation(summary = "The public keys that verify job signatures (RFC 7517)",
            description = "Every key still trusted: the one that signs new jobs, and those rotated out whose jobs agents"
                    + " may still hold. Each with kid (RFC 7638 thumbprint), use sig and alg ES256.")
    @APIResponse(responseCode = "200", description = "the JWKS document",
            content = @Content(mediaType = "application/jwk-set+json", schema = @Schema(type =
                    org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT)))
    public String jwks() {
        return signer.jwks();
    }
}
