package org.tlsrollout.agent.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.tlsrollout.agent.registry.InMemoryRegistry;
import org.tlsrollout.agent.registry.RegistryException;
import org.tlsrollout.agent.testing.RecordingHost;
import org.tlsrollout.agent.testing.TestJobs;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.ActionType;
import org.tlsrollout.contracts.JobClaims;
import org.tlsrollout.contracts.JobOutcome;
import org.tlsrollout.contracts.PreviousValue;
import org.tlsrollout.contracts.RegistryKeys;

class JobApplierTest {
    static final Instant NOW = Instant.parse("2026-11-19T09:30:00Z");
    static final String WINHTTP = RegistryKeys.WINHTTP;

    final InMemoryRegistry registry = new InMemoryRegistry().put(WINHTTP, RegistryKeys.DEFAULT_SECURE_PROTOCOLS, 0xA0);
    final RecordingHost host = new RecordingHost();
    final InMemoryUndoLog undo = new InMemoryUndoLog();
    final JobApplier applier = new JobApplier(registry, host, host, host, ActionHook.NONE, undo, java.util.Set.of());

    static JobClaims job(Action... actions) {
        return TestJobs.claims("PC-0142.corp.example", 8, NOW, actions);
    }

    @Test
    void clientsPhaseJobOfAWindows7Machine() {
        ApplyOutcome outcome = applier.apply(job(
                Action.installUpdate("KB3140245"),
                Action.setDword(WINHTTP, RegistryKeys.DEFAULT_SECURE_PROTOCOLS, 0xAA0),
                Action.setDword(RegistryKeys.WINHTTP_WOW, RegistryKeys.DEFAULT_SECURE_PROTOCOLS, 0xAA0),
                Action.restart("WinHTTP TLS 1.2")));

        assertThat(outcome.result().outcome()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(outcome.result().previousValues()).containsExactly(
                new PreviousValue(WINHTTP, RegistryKeys.DEFAULT_SECURE_PROTOCOLS, 0xA0L),
                new PreviousValue(RegistryKeys.WINHTTP_WOW, RegistryKeys.DEFAULT_SECURE_PROTOCOLS, null));
        assertThat(host.calls).containsExactly("installUpdate KB3140245"); // the restart follows the report
        assertThat(outcome.restartReason()).isEqualTo("WinHTTP TLS 1.2");
        assertThat(outcome.result().detail()).contains("wrote 2 registry values", "installed KB3140245", "restarting");
        assertThat(host.pendingReboot).isTrue();
    }

    @Test
    void aFailureStopsTheJobAndStillReportsWhatWasWritten() {
        host.failInstall = "dotnet-framework";
        ApplyOutcome outcome = applier.apply(job(
                Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1),
                Action.installSoftware("dotnet-framework", "4.8"),
                Action.setDword(RegistryKeys.NET2, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1),
                Action.restart("dotnet")));

        assertThat(outcome.result().outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(outcome.result().detail())
                .startsWith("action 2 of 4 (INSTALL_SOFTWARE dotnet-framework 4.8) failed: 0x80070643");
        assertThat(outcome.result().previousValues())
                .containsExactly(new PreviousValue(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, null));
        assertThat(registry.readDword(RegistryKeys.NET2, RegistryKeys.SCH_USE_STRONG_CRYPTO)).isEmpty();
        assertThat(outcome.restartReason()).isNull();
        assertThat(host.pendingReboot).isTrue(); // what was written waits for a restart
    }

    @Test
    void aRegistryFailureIsReportedWithThePreviousValueOfTheValueItWasWriting() {
        InMemoryRegistry failing = new InMemoryRegistry();
        JobApplier broken = new JobApplier(new org.tlsrollout.agent.registry.Registry() {
            @Override
            public java.util.OptionalLong readDword(String key, String name) {
                return failing.readDword(key, name);
            }

            @Override
            public void writeDword(String key, String name, long value) {
                throw new RegistryException("reg add failed (exit 1): ERROR: Access is denied.");
            }

            @Override
            public void deleteValue(String key, String name) {
                throw new RegistryException("reg delete failed (exit 1): ERROR: Access is denied.");
            }

            @Override
            public java.util.Optional<java.util.Map<String, Long>> readKey(String key) {
                return failing.readKey(key);
            }
        }, host, host, host, ActionHook.NONE, undo, java.util.Set.of());
        JobClaims j = job(Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1));
        ApplyOutcome outcome = broken.apply(j);
        assertThat(outcome.result().outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(outcome.result().detail()).contains("Access is denied");
        assertThat(outcome.result().previousValues())
                .containsExactly(new PreviousValue(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, null));
        // recorded before the write was tried
        assertThat(undo.get(j.jti()).map(UndoRecord::previous).orElseThrow())
                .containsExactly(new PreviousValue(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, null));
    }

    @Test
    void aValueAlreadySetIsNotRewrittenAndNeedsNoRestart() {
        registry.put(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1);
        ApplyOutcome outcome = applier.apply(job(Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1)));
        assertThat(outcome.result().outcome()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(outcome.result().previousValues())
                .containsExactly(new PreviousValue(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1L));
        assertThat(host.pendingReboot).isFalse();
    }

    @Test
    void wowKeysAreSkippedOnX86() {
        host.x64 = false;
        ApplyOutcome outcome = applier.apply(job(
                Action.setDword(RegistryKeys.NET4_WOW, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1),
                Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1)));
        assertThat(outcome.result().outcome()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(outcome.result().previousValues()).extracting(PreviousValue::key).containsExactly(RegistryKeys.NET4);
        assertThat(registry.readKey(RegistryKeys.NET4_WOW)).isEmpty();
        assertThat(outcome.result().detail()).contains("skipped");
    }

    @Test
    void runProbesAndRestartServiceGoThroughProberAndHost() {
        ApplyOutcome outcome = applier.apply(job(Action.restartService("SMS_EXECUTIVE"), Action.runProbes()));
        assertThat(outcome.result().outcome()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(host.calls).containsExactly("restartService SMS_EXECUTIVE", "probe");
        assertThat(outcome.probes()).isEqualTo(host.probes);
        assertThat(outcome.snapshotRequested()).isTrue();
        assertThat(outcome.restartReason()).isNull();
    }

    @Test
    void theApplierChecksTheAllowlistAgainAndChangesNothing() {
        java.util.Map<String, Long> before = registry.asMap();
        ApplyOutcome outcome = applier.apply(job(
                Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1),
                Action.setDword(RegistryKeys.FIPS, RegistryKeys.ENABLED, 0)));
        assertThat(outcome.result().outcome()).isEqualTo(JobOutcome.REJECTED);
        assertThat(outcome.result().detail()).contains("outside the allowlist");
        assertThat(registry.asMap()).isEqualTo(before);
        assertThat(host.calls).isEmpty();
    }

    @Test
    void anActionHookFailureFailsTheJobAtThatAction() {
        JobApplier hooked = new JobApplier(registry, host, host, host, (job, index, action) -> {
            if (action.type() == ActionType.RESTART) {
                throw new IllegalStateException("outside the maintenance window");
            }
        });
        ApplyOutcome outcome = hooked.apply(job(Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1),
                Action.restart("r")));
        assertThat(outcome.result().outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(outcome.result().detail()).contains("action 2 of 2 (RESTART)", "maintenance window");
        assertThat(outcome.result().previousValues()).hasSize(1);
        assertThat(outcome.restartReason()).isNull();
    }
}
