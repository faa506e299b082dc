package org.tlsrollout.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.tlsrollout.contracts.Json;

/**
 * One operation of a service's {@code /q/openapi} document, for tests that must cover every endpoint, a new one
 * included ({@link EndpointAuthentication}).
 *
 * @param contentType the first media type of its request body, null when it takes none
 */
public record OpenApiOperation(String method, String path, String contentType) {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    /** Every operation of an OpenAPI document in JSON, in document order. */
    public static List<OpenApiOperation> all(String openApiJson) {
        JsonNode paths;
        try {
            paths = Json.MAPPER.readTree(openApiJson).path("paths");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<OpenApiOperation> operations = new ArrayList<>();
        paths.fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            if (METHODS.contains(method.getKey())) {
                var content = method.getValue().path("requestBody").path("content").fieldNames();
                operations.add(new OpenApiOperation(method.getKey().toUpperCase(java.util.Locale.ROOT), path.getKey(),
                        content.hasNext() ? content.next() : null));
            }
        }));
        return operations;
    }

    /** The path acting for {@code machineId}: {@code {machineId}} filled in, any other parameter a random UUID. */
    public String pathFor(String machineId) {
        return path.replace("{machineId}", machineId).replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
