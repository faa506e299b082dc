package org.tlsrollout.agent.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrollout.agent.program.MaintenanceWindow;
import org.tlsrollout.agent.testing.TestJobs;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.JobClaims;

/**
 * Restarts, the restart marker and the maintenance window on Windows, with PowerShell answers written by hand (see
 * src/test/resources/windows/README.md); the commands are what the agent would run, never run here.
 */
class WindowsHostTest {
    @TempDir
    Path state;
    final ScriptedRunner runner = new ScriptedRunner();
    final PowerShell ps = new PowerShell(runner);
    final WindowsFacts facts = new WindowsFacts(new MapRegistryApi(), ps, Map.of("COMPUTERNAME", "PC1")::get, List.of());
    WindowsHost host;

    @org.junit.jupiter.api.BeforeEach
    void setUp() {
        host = new WindowsHost(facts, ps, runner, state);
    }

    @Test
    void restartsThroughTheConfigMgrClientElseShutdownExe() {
        runner.answer("RestartComputer", 0, "{\"ReturnValue\":0}", "");
        assertThat(host.restart("legacy protocols disabled")).isFalse(); // the process ends with the machine
        assertThat(runner.commands).hasSize(1);

        ScriptedRunner noClient = new ScriptedRunner().answer("RestartComputer", 1, "", "Invalid namespace")
                .answer("shutdown.exe", 0, "", "");
        new WindowsHost(facts, new PowerShell(noClient), noClient, state).restart("job 7\nline two");
        assertThat(noClient.commands.get(1)).containsExactly("shutdown.exe", "/r", "/t", "60", "/d", "p:2:17", "/c",
                "tlsrollout: job 7?line two");
    }

    @Test
    void aChangeMadeThisBootIsAPendingRebootUntilTheNextBoot() {
        runner.fixture("LastBootUpTime", "last-boot.json");
        assertThat(host.restartPendingSinceThisBoot()).isFalse();
        host.restartRequired();
        assertThat(host.restartPendingSinceThisBoot()).isTrue();

        ScriptedRunner afterBoot = new ScriptedRunner().answer("LastBootUpTime", 0, "\"2026-12-01T05:00:00.0000000Z\"", "");
        PowerShell ps2 = new PowerShell(afterBoot);
        WindowsHost booted = new WindowsHost(new WindowsFacts(new MapRegistryApi(), ps2, Map.of("COMPUTERNAME", "PC1")::get,
                List.of()), ps2, afterBoot, state);
        assertThat(booted.restartPendingSinceThisBoot()).isFalse();
    }

    @Test
    void onlySmsExecutiveIsRestartedAndItMustBeRunningAfter() {
        runner.answer("Restart-Service -Name SMS_EXECUTIVE", 0, "\"Running\"", "");
        host.restartService("SMS_EXECUTIVE");
        assertThatThrownBy(() -> host.restartService("W32Time")).isInstanceOf(IllegalArgumentException.class);
        ScriptedRunner stopped = new ScriptedRunner().answer("Restart-Service", 0, "\"Stopped\"", "");
        assertThatThrownBy(() -> new WindowsHost(facts, new PowerShell(stopped), stopped, state).restartService("SMS_EXECUTIVE"))
                .hasMessageContaining("Stopped");
    }

    @Test
    void restartOnlyInsideTheWindow() {
        JobClaims job = TestJobs.claims("pc1", 1, Instant.now(), Action.restart("r"));
        Clock saturdayNight = Clock.fixed(Instant.parse("2026-12-05T03:00:00Z"), ZoneOffset.UTC);
        Clock mondayNoon = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);
        MaintenanceWindow window = MaintenanceWindow.parse("Sat 02:00-06:00");

        new MaintenanceHook(window, ps, saturdayNight).beforeAction(job, 0, Action.restart("r"));
        assertThatThrownBy(() -> new MaintenanceHook(window, ps, mondayNoon).beforeAction(job, 0, Action.restart("r")))
                .hasMessageContaining("outside the maintenance window");
        new MaintenanceHook(window, ps, mondayNoon).beforeAction(job, 0, Action.runProbes()); // only RESTART waits

        runner.answer("IsWindowAvailableNow", 0, "{\"CanProgramRunNow\":false}", "");
        assertThatThrownBy(() -> new MaintenanceHook(null, ps, mondayNoon).beforeAction(job, 0, Action.restart("r")))
                .hasMessageContaining("ConfigMgr client's maintenance windows");
    }
}
