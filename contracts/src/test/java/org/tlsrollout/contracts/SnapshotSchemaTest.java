package org.tlsrollout.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class SnapshotSchemaTest {
    static final java.util.List<String> EXAMPLES = Examples.ALL;
    final SnapshotSchema schema = new SnapshotSchema();

    @ParameterizedTest
    @FieldSource("EXAMPLES")
    void theContractExamplesAreValidAndMapToTheRecord(String name) {
        SnapshotSchema.Result result = schema.check(Examples.json(name));

        assertThat(result.errors()).isEmpty();
        assertThat(result.snapshot().machineId()).isNotBlank();
        assertThat(result.snapshot().os().version()).matches("\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void namesEveryInvalidFieldAsAJsonPointer() throws Exception {
        ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(Examples.json(Examples.WIN7_CLIENT_BEFORE));
        doc.remove("machineId");
        ((ObjectNode) doc.get("os")).put("version", "seven");
        doc.put("collectedAt", "yesterday");
        doc.put("colour", "blue");

        SnapshotSchema.Result result = schema.check(doc.toString());

        assertThat(result.valid()).isFalse();
        assertThat(result.errors()).extracting(FieldError::field)
                .contains("/machineId", "/os/version", "/collectedAt", "");
        assertThat(result.errors()).anySatisfy(e -> assertThat(e.message()).contains("colour"));
    }

    @Test
    void checksTheDateTimeFormatAsRfc3339() throws Exception {
        ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(Examples.json(Examples.WIN10_CLIENT_DONE));
        doc.put("collectedAt", "2026-11-19 09:30:00");
        assertThat(schema.check(doc.toString()).errors()).extracting(FieldError::field).containsExactly("/collectedAt");

        doc.put("collectedAt", "2026-11-19T11:30:00+02:00");
        SnapshotSchema.Result withOffset = schema.check(doc.toString());
        assertThat(withOffset.errors()).isEmpty();
        assertThat(withOffset.snapshot().collectedAt()).hasToString("2026-11-19T09:30:00Z");
    }

    @Test
    void rejectsWhatIsNotAnObject() {
        assertThat(schema.check("[1,2]").errors()).extracting(FieldError::field).containsExactly("");
        assertThat(schema.check("{\"machineId\": ").errors()).singleElement()
                .satisfies(e -> assertThat(e.message()).startsWith("not a JSON document"));
    }

    @Test
    void registryLookupIgnoresCaseAsWindowsDoes() {
        MachineSnapshot s = schema.check(Examples.json(Examples.SERVER2012R2_PRIMARY_SITE)).snapshot();
        assertThat(s.registryValue(RegistryKeys.NET4_WOW.replace("Wow6432Node", "WOW6432Node"), "schusestrongcrypto"))
                .hasValue(1);
        assertThat(s.registryValue(RegistryKeys.WINHTTP, RegistryKeys.DEFAULT_SECURE_PROTOCOLS)).isEmpty();
    }

    @Test
    void aSnapshotWrittenBackAsJsonIsStillValid() throws Exception {
        for (String name : Examples.ALL) {
            MachineSnapshot s = schema.check(Examples.json(name)).snapshot();
            assertThat(schema.check(Json.MAPPER.writeValueAsString(s)).errors()).as(name).isEmpty();
        }
    }

    /** Found by R4 (collector-service answered 500): 1e400 was read as Infinity, which the enum and const checks threw on. */
    @Test
    void aNumberBeyondADoublesRangeIsAFieldErrorNotAnException() throws Exception {
        for (String field : new String[] {"schemaVersion", "siteCode", "roles"}) {
            String json = Examples.json(Examples.WIN10_CLIENT_DONE).replaceFirst("\"" + field + "\":\\s*(\"[^\"]*\"|\\d+|\\[[^\\]]*\\])",
                    "\"" + field + "\":1E+400");
            assertThat(json).as(field).contains("\"" + field + "\":1E+400");
            assertThat(schema.check(json).errors()).as(field).extracting(FieldError::field).contains("/" + field);
        }
        ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(Examples.json(Examples.WIN10_CLIENT_DONE));
        // An integer to the schema, but not a long: refused when mapped to the record.
        doc.put("sequence", new java.math.BigDecimal("1e400"));
        assertThat(schema.check(doc.toString()).valid()).isFalse();
        ((ObjectNode) doc.get("os")).put("architecture", new java.math.BigDecimal("-1e400"));
        assertThat(schema.check(doc.toString()).errors()).extracting(FieldError::field).contains("/os/architecture");
    }

    /** Found by R4's fuzzing (crash-42fbdd86... in the corpus): Jackson threw NumberFormatException out of the check. */
    @Test
    void anExponentJacksonCannotReadIsRefusedAsNotJson() {
        String json = Examples.json(Examples.WIN10_CLIENT_DONE).replaceFirst("\\{", "{\"extra\": 1e10000001111111110, ");

        SnapshotSchema.Result result = schema.check(json);

        assertThat(result.valid()).isFalse();
        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEmpty();
            assertThat(e.message()).startsWith("not a JSON document").contains("exponent");
        });
    }

    /**
     * Found by R4's fuzzing (slow-unit-18492... in the corpus): the validator's enum check wrote -1e999999 out digit by
     * digit, 18 s of CPU for a 36-byte document. Such numbers are refused before the schema runs, naming the field.
     */
    @Test
    void aNumberWithAHugeExponentIsRefusedBeforeTheSchemaRuns() throws Exception {
        ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(Examples.json(Examples.WIN10_CLIENT_DONE));
        ((ObjectNode) doc.get("os")).put("architecture", new java.math.BigDecimal("-1e999999"));
        doc.withArray("probes").add(new java.math.BigDecimal("1e-999999"));
        doc.put("a/b~c", new java.math.BigDecimal("1e401"));

        List<FieldError> errors = schema.check(doc.toString()).errors();

        assertThat(errors).extracting(FieldError::field)
                .containsExactlyInAnyOrder("/os/architecture", "/probes/" + (doc.get("probes").size() - 1), "/a~1b~0c");
        assertThat(errors).allSatisfy(e -> assertThat(e.message()).startsWith("a number out of range"));
        // At the limit, a number is the schema's to judge (1e400 is the field error of the test above).
        doc.remove("a/b~c");
        ((ObjectNode) doc.get("os")).put("architecture", new java.math.BigDecimal("1e400"));
        doc.withArray("probes").remove(doc.get("probes").size() - 1);
        assertThat(schema.check(doc.toString()).errors()).isNotEmpty().allSatisfy(e -> {
            assertThat(e.field()).isEqualTo("/os/architecture");
            assertThat(e.message()).doesNotContain("out of range");
        });
    }
}
