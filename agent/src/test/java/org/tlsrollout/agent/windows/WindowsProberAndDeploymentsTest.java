package org.tlsrollout.agent.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrollout.agent.host.DeploymentException;
import org.tlsrollout.agent.testing.RecordingHost;
import org.tlsrollout.contracts.MachineSnapshot;

/**
 * Probes through SChannel (a PowerShell output written by hand, see src/test/resources/windows/README.md) and installs
 * by exit code (windows-facts.md 3); the command lines are what the agent would run, never run here.
 */
class WindowsProberAndDeploymentsTest {
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path share;

    @Test
    void probesAreReadFromTheScriptsJsonAndConfiguredTargetsGoIntoTheScript() {
        ScriptedRunner runner = new ScriptedRunner().fixture("SslProtocols]3072", "probes.json");
        WindowsProber prober = new WindowsProber(new PowerShell(runner), List.of("p01-sql01.p01.corp.example:1433"),
                Clock.fixed(NOW, ZoneOffset.UTC));

        List<MachineSnapshot.Probe> probes = prober.probe();

        assertThat(probes).containsExactly(
                new MachineSnapshot.Probe("p01-mp01.p01.corp.example:443", "TLS1.2", true, null, NOW),
                new MachineSnapshot.Probe("p01-sql01.p01.corp.example:1433", "TLS1.2", false,
                        "Authentication failed because the remote party has closed the transport stream.", NOW));
        assertThat(String.join(" ", runner.commands.get(0))).contains("'p01-sql01.p01.corp.example:1433'",
                "SMS_Authority");
        assertThatThrownBy(() -> new WindowsProber(new PowerShell(runner), List.of("x';Remove-Item C:\\ -Recurse;'"),
                Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wusaExitCodes() throws Exception {
        Files.createFile(share.resolve("windows6.1-kb3140245-x86.msu"));
        Files.createFile(share.resolve("windows6.1-kb3140245-x64.msu"));
        RecordingHost host = new RecordingHost();
        ScriptedRunner runner = new ScriptedRunner().answer("wusa.exe", 3010, "", "");
        WindowsDeployments d = new WindowsDeployments(share, runner, host, true);

        d.installUpdate("KB3140245");
        assertThat(runner.commands.get(0)).containsExactly("wusa.exe",
                share.resolve("windows6.1-kb3140245-x64.msu").toString(), "/quiet", "/norestart");
        assertThat(host.pendingReboot).isTrue();

        new WindowsDeployments(share, new ScriptedRunner().answer("wusa.exe", 2359302, "", ""), host, true)
                .installUpdate("KB3140245"); // already installed: fine
        assertThatThrownBy(() -> new WindowsDeployments(share, new ScriptedRunner().answer("wusa.exe", -2145124329, "", ""),
                host, true).installUpdate("KB3140245")).isInstanceOf(DeploymentException.class)
                .hasMessageContaining("NOT_APPLICABLE");
        assertThatThrownBy(() -> d.installUpdate("KB4022720")).hasMessageContaining("no .msu for KB4022720");
    }

    @Test
    void anInstallIsNeverWaitedForPastTheJobsExpiry() throws Exception {
        Files.createFile(share.resolve(WindowsDeployments.DOTNET48));
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        ScriptedRunner runner = new ScriptedRunner().stillRunning("ndp48");
        WindowsDeployments d = new WindowsDeployments(share, runner, new RecordingHost(), true, clock);

        assertThatThrownBy(() -> d.installSoftware("dotnet-framework", "4.8", NOW.plusSeconds(600)))
                .isInstanceOf(DeploymentException.class).hasMessageContaining("still running", "later snapshot");
        assertThat(runner.waits).containsExactly(java.time.Duration.ofMinutes(8)); // 10 minutes left, less the margin

        assertThatThrownBy(() -> d.installSoftware("dotnet-framework", "4.8", NOW.plusSeconds(60)))
                .hasMessageContaining("not started");
        assertThat(runner.commands).hasSize(1);
    }

    @Test
    void installersFromTheShare() throws Exception {
        Files.createFile(share.resolve(WindowsDeployments.SNAC));
        Files.createFile(share.resolve(WindowsDeployments.DOTNET48));
        ScriptedRunner runner = new ScriptedRunner().answer("msiexec.exe", 0, "", "").answer("ndp48", 5100, "", "");
        WindowsDeployments d = new WindowsDeployments(share, runner, new RecordingHost(), true);

        d.installSoftware("sql-native-client", "11.4.7001.0");
        assertThat(runner.commands.get(0)).containsExactly("msiexec.exe", "/i", share.resolve("sqlncli.msi").toString(),
                "/qn", "IACCEPTSQLNCLILICENSETERMS=YES", "/norestart");
        assertThatThrownBy(() -> d.installSoftware("dotnet-framework", "4.8")).hasMessageContaining("requirements not met");
        assertThatThrownBy(() -> new WindowsDeployments(null, runner, new RecordingHost(), true).installUpdate("KB3140245"))
                .hasMessageContaining("no content.share");
    }
}
