package org.tlsrollout.remediation.wave;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tlsrollout.common.problem.Problem;
import org.tlsrollout.contracts.Phase;

/**
 * rules.md, "The orphan gate": what a closed gate answers (409 problem details with the counts per phase and the
 * blocking ids) and what it says of stale and never-reported machines; a phase it does not guard. Plain: which machines
 * block is counted by PostgreSQL over the site's rows ({@link OrphanGate#check}), and OrphanGateTest checks that end to
 * end.
 */
class OrphanGateStatusTest {

    private static OrphanGate.Blocking blocking(long total, long clients, long siteSystems, long verify, long stale,
            long never) {
        return new OrphanGate.Blocking(total, Map.of(Phase.CLIENTS, clients, Phase.SITE_SYSTEMS, siteSystems,
                Phase.VERIFY, verify), stale, never);
    }

    @Test
    void theGateGuardsTheEnableAndVerifyPhases() {
        assertThat(OrphanGate.GUARDED).containsExactly(Phase.CLIENTS, Phase.SITE_SYSTEMS, Phase.VERIFY);
    }

    @Test
    void aPhaseItDoesNotGuardIsOpenWithNothingBlocking() {
        OrphanGate.Status open = OrphanGate.Status.notGuarded();
        assertThat(open.open()).isTrue();
        assertThat(open.blocking().total()).isZero();
        assertThat(open.blocking().byPhase()).containsOnly(Map.entry(Phase.CLIENTS, 0L),
                Map.entry(Phase.SITE_SYSTEMS, 0L), Map.entry(Phase.VERIFY, 0L));
        assertThat(open.machines()).isEmpty();
    }

    @Test
    void aRefusalIs409ProblemDetailsWithTheCountsAndTheBlockingIds() {
        OrphanGate.Blocking counts = blocking(2, 1, 1, 1, 0, 0);
        OrphanGate.Status closed = new OrphanGate.Status(false, counts, List.of("m-1", "m-2"));
        Problem problem = closed.refusal(List.of("P01", "P02")).problem();
        assertThat(problem.status()).isEqualTo(409);
        assertThat(problem.type()).isEqualTo("urn:tlsrollout:problem:orphan-gate");
        assertThat(problem.detail()).startsWith("2 machine(s) of site(s) P01, P02 are not ready for DISABLE_LEGACY")
                .contains("COMPLIANT or NOT_APPLICABLE in CLIENTS, SITE_SYSTEMS and VERIFY")
                .doesNotContain("stale", "never reported");
        assertThat(problem.extensions()).containsEntry("blocking", counts)
                .containsEntry("machines", List.of("m-1", "m-2"));
    }

    /** Stale machines block unless the wave acknowledges them; machines that never reported always block. */
    @Test
    void theRefusalSaysWhatStaleAndNeverReportedMachinesNeed() {
        Problem problem = new OrphanGate.Status(false, blocking(3, 1, 0, 0, 1, 1), List.of("a", "b", "c"))
                .refusal(List.of("P01")).problem();
        assertThat(problem.detail()).contains("1 stale machine(s) block unless the wave sets acknowledgeStale",
                "1 machine(s) known from inventory never reported (retire them if they are gone)");
    }
}
