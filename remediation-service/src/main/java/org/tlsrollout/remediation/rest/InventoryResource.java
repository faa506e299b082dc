package org.tlsrollout.remediation.rest;

import io.quarkus.narayana.jta.QuarkusTransactionException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.tlsrollout.common.problem.Problem;
import org.tlsrollout.common.problem.ProblemException;
import org.tlsrollout.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import org.tlsrollout.contracts.AuditEvent;
import org.tlsrollout.remediation.audit.Audited;
import org.tlsrollout.remediation.ingest.InventoryImport;

/** The expected estate (api.md, "The expected estate (inventory)"). */
@Path("/api/v1/inventory")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "machines")
@SecurityRequirement(name = MachineResource.BEARER)
@APIResponse(responseCode = "401", description = "no token, or an unknown one",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "the token may not do this (the operator token is needed)",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class InventoryResource {
    /** api.md: up to 64 MiB a request (quarkus.http.limits.max-body-size says the same). */
    static final long MAX_BODY = 64L * 1024 * 1024;
    static final String CSV = "text/csv";
    static final String NDJSON = "application/x-ndjson";
    static final String CSV_EXAMPLE = """
            machineId,siteCode,roles,osVersion,lastSeenAt
            PC-0001,P01,,10.0.19045,2026-12-01T08:00:00Z
            MP-01,P01,MANAGEMENT_POINT;DISTRIBUTION_POINT,10.0.20348,
            """;

    private final InventoryImport inventory;
    private final SecurityIdentity identity;

    public InventoryResource(InventoryImport inventory, SecurityIdentity identity) {
        this.inventory = inventory;
        this.identity = identity;
    }

    @POST
    @Consumes({CSV, NDJSON})
    @RolesAllowed(Roles.OPERATOR)
    @Audited(value = AuditEvent.Action.INVENTORY_IMPORT, target = "inventory")
    @Operation(summary = "Import the machines the estate expects",
            description = "CSV with a header row machineId,siteCode,roles,osVersion,lastSeenAt (roles separated by ';',"
                    + " CLIENT implied; osVersion and lastSeenAt may be empty), or NDJSON objects with the same fields;"
                    + " up to 64 MiB, streamed. A machine not known is added, never reported, UNKNOWN in every phase"
                    + " its roles make applicable; a machine known only from inventory takes the line's values; a"
                    + " machine that has reported keeps what its snapshot said. A line whose lastSeenAt is after the"
                    + " machine's retirement brings it back. Valid lines are stored even when others are rejected.")
    @RequestBody(required = true, content = {
            @Content(mediaType = CSV, schema = @Schema(type = SchemaType.STRING),
                    examples = @ExampleObject(name = "csv", value = CSV_EXAMPLE)),
            @Content(mediaType = NDJSON, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "200", description = "what the import did",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = InventoryImport.Result.class)))
    @APIResponse(responseCode = "400", description = "no header row, or a column missing from it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "a body over 64 MiB",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public InventoryImport.Result importInventory(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            InputStream body) {
        InventoryImport.Format format = InventoryImport.format(contentType);
        if (format == null) {
            throw ProblemException.invalidField("Content-Type", "text/csv or application/x-ndjson");
        }
        Limited limited = new Limited(body);
        try {
            return inventory.importFrom(limited, format, identity.getPrincipal().getName());
        } catch (InventoryImport.InvalidInventoryException e) {
            throw ProblemException.invalidField("", e.getMessage());
        } catch (QuarkusTransactionException | UncheckedIOException e) {
            Throwable cause = e.getCause();
            if (limited.over || cause instanceof TooLarge) {
                throw tooLarge();
            }
            if (cause instanceof InventoryImport.InvalidInventoryException invalid) {
                throw ProblemException.invalidField("", invalid.getMessage());
            }
            throw e;
        } catch (RuntimeException e) {
            if (limited.over) {
                throw tooLarge();
            }
            throw e;
        }
    }

    private static ProblemException tooLarge() {
        return new ProblemException(Problem.of(413, "payload-too-large", "Payload too large",
                "an inventory request holds at most 64 MiB; split it"));
    }

    private static final class TooLarge extends IOException {
        TooLarge() {
            super("the body is over 64 MiB");
        }
    }

    /** Counts the bytes read and fails past {@link #MAX_BODY}. */
    private static final class Limited extends FilterInputStream {
        private long read;
        private boolean over;

        Limited(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > MAX_BODY) {
                over = true;
                throw new TooLarge();
            }
        }
    }
}
