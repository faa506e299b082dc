package org.tlsrollout.agent.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrollout.contracts.JobOutcome;
import org.tlsrollout.contracts.JobResult;
import org.tlsrollout.contracts.PreviousValue;
import org.tlsrollout.contracts.RegistryKeys;

class SequenceAndResultStoreTest {
    @TempDir
    Path dir;

    @Test
    void fileSequenceOnlyAdvancesAndSurvivesARestart() throws IOException {
        Path file = dir.resolve("job.seq");
        FileSequenceStore store = new FileSequenceStore(file);
        assertThat(store.last()).isZero();
        assertThat(store.advance(5)).isTrue();
        assertThat(store.advance(5)).isFalse();
        assertThat(store.advance(4)).isFalse();
        assertThat(store.advance(9)).isTrue();

        assertThat(new FileSequenceStore(file).last()).isEqualTo(9);
        assertThat(Files.readString(file).strip()).isEqualTo("9");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void aCorruptSequenceFileIsNeverReadAsZero() throws IOException {
        Path file = dir.resolve("job.seq");
        Files.writeString(file, "garbage");
        assertThatThrownBy(() -> new FileSequenceStore(file)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to start from 0");
    }

    @Test
    void fileResultsSurviveARestartAndOddJobIdsStayInsideTheFolder() {
        Path results = dir.resolve("results");
        FileResultStore store = new FileResultStore(results);
        JobResult result = new JobResult(JobOutcome.SUCCEEDED, "applied",
                List.of(new PreviousValue(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, null)));
        store.put("job-1", result);
        store.put("../../etc/passwd", new JobResult(JobOutcome.REJECTED, "no", List.of()));

        FileResultStore again = new FileResultStore(results);
        assertThat(again.get("job-1")).contains(result);
        assertThat(again.jobIds()).containsExactlyInAnyOrder("job-1", "../../etc/passwd");
        assertThat(Files.exists(dir.resolve("etc"))).isFalse();
        again.remove("job-1");
        assertThat(again.get("job-1")).isEmpty();
        assertThat(again.jobIds()).containsExactly("../../etc/passwd");
    }
}
