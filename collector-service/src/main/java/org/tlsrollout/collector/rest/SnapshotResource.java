package org.tlsrollout.collector.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.tlsrollout.collector.config.CollectorConfig;
import org.tlsrollout.common.problem.Problem;
import org.tlsrollout.common.problem.ProblemException;
import org.tlsrollout.common.security.AgentTokens;
import org.tlsrollout.common.security.Roles;
import org.tlsrollout.contracts.FieldError;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.SnapshotSchema;

/** Snapshot ingestion from agents and bulk NDJSON import (api.md, "collector-service"). */
@Path("/api/v1/snapshots")
@SecurityScheme(securitySchemeName = SnapshotResource.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "An agent token from POST /api/v1/agents/enroll, or for the import the operator token")
@SecurityRequirement(name = SnapshotResource.BEARER)
@APIResponse(responseCode = "401", description = "no token, or an unknown, expired or forged one",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "the token may not do this (another machine's snapshot, or another "
        + "site's than the token's; a token issued without a site; an import without the operator token)",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = "Kafka cannot take it now; retry after Retry-After seconds",
        headers = @Header(name = "Retry-After", description = "seconds", schema = @Schema(type =
                org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER)),
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class SnapshotResource {
    static final String BEARER = "bearer";

    private final SnapshotIntake intake;
    private final CollectorConfig config;

    @Inject
    SecurityIdentity identity;

    public SnapshotResource(SnapshotIntake intake, CollectorConfig config) {
        this.intake = intake;
        this.config = config;
    }

    public record Accepted(String snapshotId) {
    }

    public record Rejected(long line, List<FieldError> errors) {
    }

    public record ImportResult(long accepted, List<Rejected> rejected) {
    }

    @POST
    @RolesAllowed(Roles.AGENT)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Report one MachineSnapshot; answered 202 only after Kafka acknowledged it")
    @RequestBody(required = true, description = "one MachineSnapshot (snapshot.schema.json); the contract's "
            + "examples are given", content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT)))
    @APIResponse(responseCode = "202", description = "accepted: Kafka acknowledged the record",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class)))
    @APIResponse(responseCode = "400", description = "invalid; problem details name every invalid field (JSON Pointer); "
            + "also a collectedAt more than 5 minutes after the collector's clock",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "a snapshot over 256 KiB",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> report(String body) {
        if (body == null || body.isEmpty()) {
            throw ProblemException.invalidField("", "the body must be one MachineSnapshot (JSON)");
        }
        requireSize(body);
        requireOwnMachineAndSite(body);
        SnapshotSchema.Result result = intake.check(body);
        if (!result.valid()) {
            throw ProblemException.invalid("the snapshot does not follow snapshot.schema.json", result.errors());
        }
        return intake.publish(result)
                .map(id -> Response.accepted(new Accepted(id)).type(MediaType.APPLICATION_JSON).build());
    }

    @POST
    @Path("import")
    @RolesAllowed(Roles.OPERATOR)
    @Consumes({"application/x-ndjson", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Import NDJSON, one MachineSnapshot a line; valid lines are published even when others are rejected",
            description = "The operator is trusted for every line's site; a line whose collectedAt is more than 5 "
                    + "minutes after the collector's clock is rejected like any invalid line.")
    @RequestBody(required = true, description = "NDJSON: one MachineSnapshot a line; blank lines are skipped",
            content = @Content(mediaType = "application/x-ndjson",
                    schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)))
    @APIResponse(responseCode = "200", description = "how many lines were published, and each rejected line with its "
            + "errors; a 503 during the import keeps the lines counted so far",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ImportResult.class)))
    public ImportResult importNdjson(InputStream body) {
        List<Rejected> rejected = new ArrayList<>();
        Deque<CompletableFuture<String>> inFlight = new ArrayDeque<>();
        long accepted = 0;
        long lineNumber = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                if (line.length() > config.intake().maxSnapshotBytes()) {
                    intake.countRejected();
                    rejected.add(new Rejected(lineNumber, List.of(new FieldError("", tooLarge()))));
                    continue;
                }
                SnapshotSchema.Result result = intake.check(line);
                if (!result.valid()) {
                    rejected.add(new Rejected(lineNumber, result.errors()));
                    continue;
                }
                inFlight.add(intake.publish(result).subscribeAsCompletionStage());
                while (inFlight.size() >= config.intake().importWindow()) {
                    accepted += await(inFlight.poll(), accepted, rejected);
                }
            }
            while (!inFlight.isEmpty()) {
                accepted += await(inFlight.poll(), accepted, rejected);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ImportResult(accepted, rejected);
    }

    private long await(CompletableFuture<String> publish, long acceptedSoFar, List<Rejected> rejected) {
        try {
            publish.get();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw importFailed(acceptedSoFar, rejected);
        } catch (ExecutionException e) {
            throw importFailed(acceptedSoFar, rejected);
        }
    }

    private ProblemException importFailed(long acceptedSoFar, List<Rejected> rejected) {
        return new ProblemException(Problem.of(503, "unavailable", "Service unavailable",
                        "Kafka stopped acknowledging during the import; the lines counted in 'accepted' are kept, "
                                + "send the file again to publish the rest (snapshots are idempotent per machine)")
                .with("accepted", acceptedSoFar).with("rejected", rejected),
                Map.of("Retry-After", Integer.toString(config.intake().retryAfterSeconds())));
    }

    private void requireSize(String body) {
        int max = config.intake().maxSnapshotBytes();
        // Characters never outnumber UTF-8 bytes: count bytes only when the length is close.
        if (body.length() > max || (body.length() > max / 4 && body.getBytes(StandardCharsets.UTF_8).length > max)) {
            throw new ProblemException(Problem.of(413, "payload-too-large", "Payload too large", tooLarge()));
        }
    }

    private String tooLarge() {
        return "a snapshot may be at most " + config.intake().maxSnapshotBytes() + " bytes";
    }

    /**
     * 403 when the body names another machine than the token's subject, or another site than the token's (checked
     * before the whole schema; a token without a site is refused, its agent enrolls again).
     */
    private void requireOwnMachineAndSite(String body) {
        JsonNode doc;
        try {
            doc = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return; // not JSON: the schema check names the problem
        }
        if (doc == null || !doc.isObject()) {
            return;
        }
        JsonNode machineId = doc.get("machineId");
        if (machineId != null && machineId.isTextual()) {
            AgentTokens.requireMachine(identity, machineId.asText());
        }
        JsonNode siteCode = doc.get("siteCode");
        if (siteCode != null && siteCode.isTextual()) {
            AgentTokens.requireSite(identity, siteCode.asText());
        }
    }
}
