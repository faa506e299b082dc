package org.tlsrollout.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * R4 (issue #6, docs/benchmarks.md): any document given to {@link SnapshotSchema#check} either validates, mapped to
 * a {@link MachineSnapshot}, or is refused with field errors naming a JSON pointer; never an exception. In a plain
 * test run this replays the saved corpus (src/test/resources/org/tlsrollout/contracts/SnapshotFuzzTestInputs/);
 * {@code JAZZER_FUZZ=1} fuzzes (the command is in docs/benchmarks.md).
 */
class SnapshotFuzzTest {
    static final SnapshotSchema SCHEMA = new SnapshotSchema();

    @FuzzTest(maxDuration = "5m")
    void anyDocumentValidatesOrNamesItsFieldErrors(byte[] input) throws Exception {
        SnapshotSchema.Result result = SCHEMA.check(new String(input, StandardCharsets.UTF_8));

        if (result.valid()) {
            assertThat(result.snapshot()).isNotNull();
            assertThat(result.document()).isNotNull();
            assertThat(result.snapshot().machineId()).isNotBlank();
            // What was accepted can be written and read again: the collector republishes it.
            assertThat(SCHEMA.check(Json.MAPPER.writeValueAsString(result.snapshot())).errors()).isEmpty();
        } else {
            assertThat(result.snapshot()).isNull();
            assertThat(result.errors()).allSatisfy(e -> {
                assertThat(e.field()).matches("(/.*)?");
                assertThat(e.message()).isNotBlank();
            });
        }
    }
}
