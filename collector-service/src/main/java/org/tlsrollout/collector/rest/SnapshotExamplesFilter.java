package org.tlsrollout.collector.rest;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.tlsrollout.contracts.Examples;
import org.tlsrollout.contracts.Json;

/**
 * Puts the contract's example snapshots (module contracts, the one copy) into /q/openapi as the examples of
 * {@code POST /api/v1/snapshots} and, one a line, of the NDJSON import, so the document never drifts from them.
 */
public class SnapshotExamplesFilter implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        MediaType report = content(openAPI.getPaths().getPathItem("/api/v1/snapshots"), "application/json");
        if (report != null) {
            for (String name : Examples.ALL) {
                report.addExample(stem(name), OASFactory.createExample().summary(name).value(parse(name)));
            }
        }
        MediaType ndjson = content(openAPI.getPaths().getPathItem("/api/v1/snapshots/import"), "application/x-ndjson");
        if (ndjson != null) {
            String lines = Examples.ALL.stream().map(name -> compact(parse(name))).collect(Collectors.joining("\n"));
            ndjson.addExample("three machines", OASFactory.createExample()
                    .summary("the contract's three examples, one a line").value(lines + "\n"));
        }
    }

    private static MediaType content(PathItem item, String mediaType) {
        if (item == null || item.getPOST() == null || item.getPOST().getRequestBody() == null
                || item.getPOST().getRequestBody().getContent() == null) {
            return null;
        }
        return item.getPOST().getRequestBody().getContent().getMediaType(mediaType);
    }

    private static Map<String, Object> parse(String name) {
        try {
            return Json.MAPPER.readValue(Examples.json(name), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String compact(Map<String, Object> value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String stem(String fileName) {
        return fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
    }
}
