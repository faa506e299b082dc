package org.tlsrollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #4's "done means": the demo takes a small estate through all four phases with nothing left over, and
 * under a 20% job failure rate a wave halts, the demo says so and exits non-zero, and no later batch got a job.
 * Each run has a stack of its own (the estate's machine ids do not depend on the seed).
 */
class DemoIT {

    @Test
    void fourHundredMachinesOnThreeSitesGoThroughAllFourPhases(@TempDir Path home) throws Exception {
        try (TestStack s = TestStack.up(home)) {
            ByteArrayOutputStream output = new ByteArrayOutputStream();

            int exit = new Demo(s.config, new Demo.Options(400, 3, 0.0, 42, 256, 40, 0.05),
                    new PrintStream(output, true, StandardCharsets.UTF_8)).run();

            assertThat(exit).as(output.toString(StandardCharsets.UTF_8)).isZero();
            JsonNode totals = new RolloutApi(s.config.remediationUrl(), "it-viewer").get("/api/v1/progress").body()
                    .path("totals");
            for (String phase : new String[] {"CLIENTS", "SITE_SYSTEMS", "VERIFY", "DISABLE_LEGACY"}) {
                for (String state : new String[] {"NONCOMPLIANT", "UNKNOWN", "PENDING_RESTART"}) {
                    assertThat(totals.path(phase).path(state).asLong()).as(phase + " " + state).isZero();
                }
            }
            assertThat(output.toString(StandardCharsets.UTF_8)).contains("Every machine is done");
        }
    }

    @Test
    void aWaveHaltsUnderTwentyPercentFailuresAndNoLaterBatchGetsAJob(@TempDir Path home) throws Exception {
        try (TestStack s = TestStack.up(home)) {
            ByteArrayOutputStream output = new ByteArrayOutputStream();

            int exit = new Demo(s.config, new Demo.Options(300, 2, 0.2, 7, 256, 40, 0.05),
                    new PrintStream(output, true, StandardCharsets.UTF_8)).run();

            String text = output.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(text).isEqualTo(1);
            assertThat(text).contains("HALTED").contains("no later batch got a job");
            RolloutApi api = new RolloutApi(s.config.remediationUrl(), "it-viewer");
            JsonNode waves = api.get("/api/v1/waves").body();
            int halted = 0;
            for (JsonNode wave : waves) {
                if (wave.path("state").asText().equals("HALTED")) {
                    halted++;
                    // currentBatch counts from 1: the batches released so far, the halted one included.
                    long released = (long) wave.path("batchSize").asInt() * wave.path("currentBatch").asInt();
                    assertThat(wave.path("counts").path("issued").asLong()).as(wave.toString())
                            .isLessThanOrEqualTo(released)
                            .isLessThan(wave.path("counts").path("targeted").asLong());
                }
            }
            assertThat(halted).isPositive();
        }
    }
}
