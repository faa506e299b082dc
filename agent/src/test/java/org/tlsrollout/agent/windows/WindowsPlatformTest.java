package org.tlsrollout.agent.windows;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrollout.agent.jobs.InMemorySequenceStore;
import org.tlsrollout.agent.program.ProgramConfig;
import org.tlsrollout.agent.snapshot.SnapshotCollector;
import org.tlsrollout.agent.windows.RegistryApi.View;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.SnapshotSchema;

/**
 * The Windows classes wired as {@code run} wires them, over a registry in memory and PowerShell outputs written by
 * hand (src/test/resources/windows/README.md): the snapshot they make passes the schema. Not a test of Windows itself.
 */
class WindowsPlatformTest {
    @TempDir
    Path dir;

    @Test
    void aWindowsSnapshotFromTheWiredClassesPassesTheSchema() throws Exception {
        Path config = dir.resolve("agent.properties");
        Files.writeString(config, "collector.url=https://collector.corp.example\nremediation.url=https://remediation.corp.example\n"
                + "site.code=P01\nenroll.secret.file=enroll.secret\nsigning.keys.file=keys.json\nstate.dir=state\n"
                + "roles=MANAGEMENT_POINT\nconfigmgr.logs=" + dir.resolve("logs").toString().replace("\\", "\\\\") + "\n");
        Files.createDirectories(dir.resolve("state"));
        MapRegistryApi api = new MapRegistryApi()
                .put(View.KEY64, WindowsFacts.TCPIP, "Hostname", "P01-CMMP01").put(View.KEY64, WindowsFacts.TCPIP, "Domain", "p01.corp.example")
                .put(View.KEY64, WindowsFacts.CURRENT_VERSION, "CurrentMajorVersionNumber", 10)
                .put(View.KEY64, WindowsFacts.CURRENT_VERSION, "CurrentMinorVersionNumber", 0)
                .put(View.KEY64, WindowsFacts.CURRENT_VERSION, "CurrentBuildNumber", "17763")
                .put(View.KEY64, WindowsFacts.CURRENT_VERSION, "ProductName", "Windows Server 2019 Standard")
                .put(View.KEY64, WindowsFacts.PRODUCT_OPTIONS, "ProductType", "ServerNT")
                .put(View.KEY64, WindowsFacts.NDP4, "Release", 528049)
                .put(View.KEY64, "SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client", "Enabled", 1)
                .put(View.KEY32, "SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319", "SchUseStrongCrypto", 1);
        ScriptedRunner runner = new ScriptedRunner().fixture("Win32_QuickFixEngineering", "qfe-many.json")
                .fixture("LastBootUpTime", "last-boot.json").fixture("SslProtocols]3072", "probes.json")
                .answer("DetermineIfRebootPending", 0, "", "");
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
        WindowsPlatform platform = new WindowsPlatform(ProgramConfig.load(config), api, runner, runner,
                Map.of("PROCESSOR_ARCHITECTURE", "AMD64")::get, clock);

        MachineSnapshot s = SnapshotCollector.builder().machine(platform.machineId(), "P01").registry(platform.registry())
                .host(platform.host()).prober(platform.prober()).logs(platform.logs())
                .sequence(new InMemorySequenceStore()).clock(clock).schema(new SnapshotSchema()).build().collect();

        assertThat(s.machineId()).isEqualTo("p01-cmmp01.p01.corp.example");
        assertThat(s.os().version()).isEqualTo("10.0.17763");
        assertThat(s.roles()).containsExactly(Role.CLIENT, Role.MANAGEMENT_POINT);
        assertThat(s.registry()).containsKeys(RegistryKeys.schannel(RegistryKeys.SCH_TLS12, RegistryKeys.CLIENT),
                RegistryKeys.NET4_WOW);
        assertThat(s.probes()).hasSize(2);
        assertThat(s.hotfixes()).contains("KB3140245");
    }
}
