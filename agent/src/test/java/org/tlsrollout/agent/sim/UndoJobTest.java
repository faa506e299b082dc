package org.tlsrollout.agent.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tlsrollout.agent.AgentState;
import org.tlsrollout.agent.jobs.ActionHook;
import org.tlsrollout.agent.jobs.ApplyOutcome;
import org.tlsrollout.agent.jobs.JobApplier;
import org.tlsrollout.agent.testing.TestJobs;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.JobClaims;
import org.tlsrollout.contracts.JobOutcome;
import org.tlsrollout.contracts.PreviousValue;
import org.tlsrollout.contracts.RegistryKeys;

/**
 * UNDO_JOB (rules.md) on a simulated Windows 10 machine, whose SChannel has no SSL 3.0 values (the default): a
 * DISABLE_LEGACY job writes them, its undo deletes them again, so the registry is exactly as before. An undo is
 * idempotent (a second one changes nothing) and cannot itself be undone; an unknown job's undo is REJECTED.
 */
class UndoJobTest {
    static final Instant NOW = Instant.parse("2026-11-19T09:30:00Z");
    static final String SSL3_CLIENT = RegistryKeys.schannel("SSL 3.0", RegistryKeys.CLIENT);
    static final String SSL3_SERVER = RegistryKeys.schannel("SSL 3.0", RegistryKeys.SERVER);

    final SimulatedEstate estate = new EstateGenerator(7, 300, 2).generate(Clock.fixed(NOW, ZoneOffset.UTC));
    final SimulatedMachine m = estate.machines().stream()
            .filter(x -> x.osKind() == OsKind.WINDOWS_10 && x.registry().readKey(SSL3_CLIENT).isEmpty()
                    && x.registry().readKey(SSL3_SERVER).isEmpty())
            .findFirst().orElseThrow();
    final AgentState state = new SimulatedAgentState(m);
    final JobApplier applier = new JobApplier(m.registry(), estate.deployments(m), estate.host(m), estate.prober(m),
            ActionHook.NONE, state.undoLog(), Set.of());
    long seq = 1;

    JobClaims job(Action... actions) {
        return TestJobs.claims(m.id(), seq++, NOW, actions);
    }

    @Test
    void undoingADisableLegacyJobLeavesTheSsl3ValuesAbsentAgainExactlyAsBefore() {
        Map<String, Long> before = m.registry().asMap();
        JobClaims disable = job(Phases.disableLegacy().toArray(Action[]::new));

        ApplyOutcome applied = applier.apply(disable);
        assertThat(applied.result().outcome()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(m.registry().readDword(SSL3_CLIENT, RegistryKeys.ENABLED)).hasValue(0);
        assertThat(applied.result().previousValues())
                .contains(new PreviousValue(SSL3_CLIENT, RegistryKeys.ENABLED, null));
        assertThat(state.undoLog().get(disable.jti()).orElseThrow().previous())
                .isEqualTo(applied.result().previousValues());

        ApplyOutcome undone = applier.apply(job(Action.undoJob(disable.jti()), Action.restart("rollback")));
        assertThat(undone.result().outcome()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(m.registry().readKey(SSL3_CLIENT)).isEmpty();
        assertThat(m.registry().readKey(SSL3_SERVER)).isEmpty();
        assertThat(m.registry().asMap()).isEqualTo(before);
        // reported for audit: what the undo replaced
        assertThat(undone.result().previousValues()).contains(new PreviousValue(SSL3_CLIENT, RegistryKeys.ENABLED, 0L));
    }

    @Test
    void aSecondUndoOfTheSameJobSucceedsAndChangesNothing() {
        JobClaims disable = job(Phases.disableLegacy().toArray(Action[]::new));
        applier.apply(disable);
        JobClaims firstUndo = job(Action.undoJob(disable.jti()));
        applier.apply(firstUndo);
        m.registry().writeDword(SSL3_CLIENT, RegistryKeys.ENABLED, 0); // a later change the second undo must keep
        Map<String, Long> after = m.registry().asMap();

        ApplyOutcome again = applier.apply(job(Action.undoJob(disable.jti())));

        assertThat(again.result().outcome()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(again.result().detail()).contains("already undone by job " + firstUndo.jti());
        assertThat(m.registry().asMap()).isEqualTo(after);
    }

    @Test
    void anUndoCannotBeUndoneAndAnUnknownJobsUndoIsRejectedWithNothingChanged() {
        JobClaims disable = job(Phases.disableLegacy().toArray(Action[]::new));
        applier.apply(disable);
        JobClaims undo = job(Action.undoJob(disable.jti()));
        applier.apply(undo);
        Map<String, Long> after = m.registry().asMap();

        ApplyOutcome undoOfUndo = applier.apply(job(Action.undoJob(undo.jti())));
        ApplyOutcome unknown = applier.apply(job(Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1),
                Action.undoJob("job-never-applied-here")));

        assertThat(undoOfUndo.result().outcome()).isEqualTo(JobOutcome.REJECTED);
        assertThat(undoOfUndo.result().detail()).contains("no undo record");
        assertThat(unknown.result().outcome()).isEqualTo(JobOutcome.REJECTED);
        assertThat(unknown.result().detail()).contains("job-never-applied-here", "no undo record");
        assertThat(m.registry().asMap()).isEqualTo(after); // the SET before the UNDO_JOB was not made either
    }
}
