package org.tlsrollout.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * A custom resource checked against the structural OpenAPI v3 schema of its CustomResourceDefinition, as the API
 * server does with strict field validation: unknown fields (where the schema neither lists them nor preserves unknown
 * fields), wrong types, values outside an enum and missing required fields are problems. {@code metadata} is left
 * to the Kubernetes model. Formats, patterns and CEL validation rules are not checked.
 */
final class CrdSchema {
    private static final Map<String, CrdSchema> CACHE = new ConcurrentHashMap<>();
    private final JsonNode schema;

    private CrdSchema(JsonNode schema) {
        this.schema = schema;
    }

    /** The schema of one served version of the CRD kept at {@code resource} (a test resource). */
    static CrdSchema of(String resource, String apiVersion) {
        return CACHE.computeIfAbsent(resource + " " + apiVersion, k -> {
            JsonNode crd;
            try (InputStream in = CrdSchema.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("no test resource " + resource);
                }
                crd = Repo.YAML.readTree(resource.endsWith(".gz") ? new GZIPInputStream(in) : in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String group = crd.path("spec").path("group").asText();
            for (JsonNode version : crd.path("spec").path("versions")) {
                if ((group + "/" + version.path("name").asText()).equals(apiVersion)
                        && version.path("served").asBoolean()) {
                    return new CrdSchema(version.path("schema").path("openAPIV3Schema"));
                }
            }
            throw new IllegalStateException(resource + " serves no version " + apiVersion);
        });
    }

    void validate(JsonNode resource, List<String> problems) {
        Iterator<Map.Entry<String, JsonNode>> fields = resource.fields();
        JsonNode properties = schema.path("properties");
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals("metadata")) {
                continue;
            }
            if (!properties.has(field.getKey())) {
                problems.add("unknown field " + field.getKey() + " at .");
            } else {
                check(field.getValue(), properties.path(field.getKey()), "." + field.getKey(), problems);
            }
        }
        required(resource, schema, "", problems);
    }

    private static void check(JsonNode value, JsonNode schema, String path, List<String> problems) {
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean()) {
                problems.add(path + ": null where the schema wants " + schema.path("type").asText("a value"));
            }
            return;
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                problems.add(path + ": an integer or a string, not " + value.getNodeType());
            }
            return;
        }
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean();
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> {
                if (!value.isObject()) {
                    problems.add(path + ": an object, not " + value.getNodeType());
                    return;
                }
                JsonNode properties = schema.path("properties");
                JsonNode additional = schema.path("additionalProperties");
                Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    String at = path + "." + field.getKey();
                    if (properties.has(field.getKey())) {
                        check(field.getValue(), properties.path(field.getKey()), at, problems);
                    } else if (additional.isObject()) {
                        check(field.getValue(), additional, at, problems);
                    } else if (!preserve && !additional.asBoolean(false)) {
                        problems.add("unknown field " + field.getKey() + " at " + (path.isEmpty() ? "." : path));
                    }
                }
                required(value, schema, path, problems);
            }
            case "array" -> {
                if (!value.isArray()) {
                    problems.add(path + ": an array, not " + value.getNodeType());
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    check(value.get(i), schema.path("items"), path + "[" + i + "]", problems);
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    problems.add(path + ": a string, not " + value.getNodeType() + " (quote it)");
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    problems.add(path + ": an integer, not " + value.getNodeType());
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    problems.add(path + ": a number, not " + value.getNodeType());
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    problems.add(path + ": a boolean, not " + value.getNodeType());
                }
            }
            default -> {
                // no type: anything (only with x-kubernetes-preserve-unknown-fields in a structural schema)
            }
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode allowed : schema.path("enum")) {
                listed |= allowed.equals(value);
            }
            if (!listed) {
                problems.add(path + ": " + value + " is not one of " + schema.path("enum"));
            }
        }
    }

    private static void required(JsonNode value, JsonNode schema, String path, List<String> problems) {
        for (JsonNode name : schema.path("required")) {
            if (!value.has(name.asText())) {
                problems.add((path.isEmpty() ? "." : path) + ": required field " + name.asText() + " missing");
            }
        }
    }
}
