package org.tlsrollout.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The MachineSnapshot JSON Schema (snapshot.schema.json, draft 2020-12), checked whole, formats included
 * ({@code date-time} is RFC 3339). Thread-safe; build it once.
 */
public final class SnapshotSchema {
    public static final String RESOURCE = "/org/tlsrollout/contracts/snapshot.schema.json";

    /**
     * Reads decimals as BigDecimal: a number beyond a double's range (1e400) would otherwise become Infinity, which the
     * schema's enum and const checks cannot compare (NumberFormatException, a 500 in the collector).
     */
    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** The largest decimal exponent, either way, of a number in a snapshot: a double's range with room to spare. */
    static final int MAX_EXPONENT = 400;

    private final JsonSchema schema;

    public SnapshotSchema() {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .formatAssertionsEnabled(true)
                .pathType(PathType.JSON_POINTER)
                .build();
        try (InputStream in = SnapshotSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every invalid field, sorted by field; empty when the document is valid. */
    public List<FieldError> validate(JsonNode document) {
        List<FieldError> outOfRange = new ArrayList<>();
        findNumbersOutOfRange(document, "", outOfRange);
        if (!outOfRange.isEmpty()) {
            return outOfRange;
        }
        Set<ValidationMessage> messages = schema.validate(document);
        List<FieldError> errors = new ArrayList<>(messages.size());
        for (ValidationMessage m : messages) {
            String field = m.getInstanceLocation().toString();
            if ("required".equals(m.getType()) && m.getProperty() != null) {
                field = field + "/" + m.getProperty();
            }
            errors.add(new FieldError(field, m.getMessage()));
        }
        errors.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::message));
        return errors;
    }

    /**
     * Numbers whose decimal exponent lies beyond {@value #MAX_EXPONENT} either way, which no field of a snapshot holds:
     * the validator's enum check writes a number out digit by digit, and {@code -1e999999} (a 36-byte document) took it
     * 18 s of CPU (found by R4's fuzzing). They are refused before the schema runs.
     */
    private static void findNumbersOutOfRange(JsonNode node, String pointer, List<FieldError> errors) {
        if (node.isContainerNode()) {
            if (node.isObject()) {
                for (var fields = node.fields(); fields.hasNext(); ) {
                    var field = fields.next();
                    if (field.getValue().isContainerNode() || field.getValue().isBigDecimal()) {
                        findNumbersOutOfRange(field.getValue(), pointer + "/" + escape(field.getKey()), errors);
                    }
                }
            } else {
                for (int i = 0; i < node.size(); i++) {
                    JsonNode element = node.get(i);
                    if (element.isContainerNode() || element.isBigDecimal()) {
                        findNumbersOutOfRange(element, pointer + "/" + i, errors);
                    }
                }
            }
        } else if (node.isBigDecimal()) {
            BigDecimal value = node.decimalValue();
            long exponent = (long) value.precision() - value.scale() - 1;
            if (value.signum() != 0 && Math.abs(exponent) > MAX_EXPONENT) {
                errors.add(new FieldError(pointer, "a number out of range: its exponent is beyond 1e" + MAX_EXPONENT
                        + " or 1e-" + MAX_EXPONENT));
            }
        }
    }

    private static String escape(String name) {
        return name.indexOf('~') < 0 && name.indexOf('/') < 0 ? name : name.replace("~", "~0").replace("/", "~1");
    }

    /**
     * Parses, validates and maps one snapshot document: the one way a snapshot is accepted, used by the
     * collector for HTTP and NDJSON alike.
     */
    public Result check(String json) {
        JsonNode node;
        try {
            node = READER.readTree(json);
        } catch (JsonProcessingException e) {
            return Result.invalid(List.of(new FieldError("", "not a JSON document: " + e.getOriginalMessage())));
        } catch (NumberFormatException e) {
            // Jackson refuses some numbers outside its stream constraints this way (an exponent such as 1e10000000001).
            return Result.invalid(List.of(new FieldError("", "not a JSON document: " + e.getMessage())));
        }
        if (node == null || !node.isObject()) {
            return Result.invalid(List.of(new FieldError("", "a snapshot is a JSON object")));
        }
        List<FieldError> errors = validate(node);
        if (!errors.isEmpty()) {
            return Result.invalid(errors);
        }
        try {
            return new Result(Json.MAPPER.treeToValue(node, MachineSnapshot.class), (ObjectNode) node, List.of());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // Valid by the schema but not representable (e.g. a time zone the JDK does not parse).
            return Result.invalid(List.of(new FieldError("", "cannot be read: " + e.getMessage())));
        }
    }

    /** Either a valid snapshot, or the errors that make it invalid. */
    public record Result(MachineSnapshot snapshot, ObjectNode document, List<FieldError> errors) {
        static Result invalid(List<FieldError> errors) {
            return new Result(null, null, errors);
        }

        public boolean valid() {
            return errors.isEmpty();
        }
    }
}
