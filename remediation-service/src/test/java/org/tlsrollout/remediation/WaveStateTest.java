package org.tlsrollout.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrollout.remediation.WaveState.CANCELLED;
import static org.tlsrollout.remediation.WaveState.COMPLETED;
import static org.tlsrollout.remediation.WaveState.HALTED;
import static org.tlsrollout.remediation.WaveState.PAUSED;
import static org.tlsrollout.remediation.WaveState.PLANNED;
import static org.tlsrollout.remediation.WaveState.RUNNING;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Which operator action each wave state allows (api.md, "POST /api/v1/waves/{id}/pause, /resume, /cancel,
 * /rollback"; the states of api.md's wave), and which states the engine advances: plain logic, every state of the
 * table. WaveBatchingTest, RollbackTest and AuditTrailTest check end to end that a refused action is 409.
 */
class WaveStateTest {

    private static Set<WaveState> allowing(Predicate<WaveState> action) {
        return Stream.of(WaveState.values()).filter(action)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(WaveState.class)));
    }

    @Test
    void theStatesAreThoseOfApiMd() {
        assertThat(WaveState.values()).extracting(Enum::name)
                .containsExactly("PLANNED", "RUNNING", "PAUSED", "HALTED", "COMPLETED", "CANCELLED");
    }

    @Test
    void onlyAPlannedOrRunningWaveCanBePaused() {
        assertThat(allowing(WaveState::canPause)).containsExactlyInAnyOrder(PLANNED, RUNNING);
    }

    /** Resuming a HALTED wave is how an operator accepts its failure rate (api.md: "until an operator resumes it"). */
    @Test
    void onlyAPausedOrHaltedWaveCanBeResumed() {
        assertThat(allowing(WaveState::canResume)).containsExactlyInAnyOrder(PAUSED, HALTED);
    }

    @Test
    void everyWaveThatHasNotEndedCanBeCancelled() {
        assertThat(allowing(WaveState::canCancel)).containsExactlyInAnyOrder(PLANNED, RUNNING, PAUSED, HALTED);
        assertThat(COMPLETED.canCancel()).isFalse();
        assertThat(CANCELLED.canCancel()).isFalse();
    }

    /** A wave may be rolled back once it no longer issues jobs by itself: not while PLANNED or RUNNING. */
    @Test
    void aWaveCanBeRolledBackOnceItNoLongerIssuesJobs() {
        assertThat(allowing(WaveState::canRollBack)).containsExactlyInAnyOrder(PAUSED, HALTED, COMPLETED, CANCELLED);
    }

    @Test
    void theEngineAdvancesPlannedAndRunningWavesOnly() {
        assertThat(WaveState.ACTIVE).containsExactlyInAnyOrder(PLANNED, RUNNING);
        // An ended wave allows no change of its state but a rollback (a new wave).
        for (WaveState ended : EnumSet.of(COMPLETED, CANCELLED)) {
            assertThat(ended.canPause() || ended.canResume() || ended.canCancel()).as(ended.name()).isFalse();
        }
    }
}
