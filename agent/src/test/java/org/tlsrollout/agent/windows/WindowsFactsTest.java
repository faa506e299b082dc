package org.tlsrollout.agent.windows;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tlsrollout.agent.host.HostFacts;
import org.tlsrollout.agent.windows.RegistryApi.View;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.Role;

/**
 * What a Windows machine reports, from registry values laid out as windows-facts.md documents them (typed, as the API
 * returns them) and PowerShell outputs written by hand from Microsoft's documentation (src/test/resources/windows,
 * none captured on Windows).
 */
class WindowsFactsTest {
    final MapRegistryApi api = new MapRegistryApi();
    final ScriptedRunner runner = new ScriptedRunner();
    final Map<String, String> env = new java.util.HashMap<>(Map.of("COMPUTERNAME", "SRV01",
            "PROCESSOR_ARCHITECTURE", "AMD64"));
    WindowsFacts facts(List<Role> roles) {
        return new WindowsFacts(api, new PowerShell(runner), env::get, roles);
    }

    void server2012R2SiteServerWithSql() {
        api.put(View.KEY64, WindowsFacts.TCPIP, "Hostname", "P01-CMSS01").put(View.KEY64, WindowsFacts.TCPIP, "Domain", "corp.example")
                .put(View.KEY64, WindowsFacts.CURRENT_VERSION, "CurrentVersion", "6.3")
                .put(View.KEY64, WindowsFacts.CURRENT_VERSION, "CurrentBuildNumber", "9600")
                .put(View.KEY64, WindowsFacts.CURRENT_VERSION, "ProductName", "Windows Server 2012 R2 Standard")
                .put(View.KEY64, WindowsFacts.PRODUCT_OPTIONS, "ProductType", "ServerNT")
                .put(View.KEY64, WindowsFacts.NDP4, "Release", 528049)
                .put(View.KEY64, WindowsFacts.NDP35, "Install", 1)
                .put(View.KEY64, WindowsFacts.SQL_INSTANCES, "MSSQLSERVER", "MSSQL12.MSSQLSERVER")
                .put(View.KEY64, WindowsFacts.SQL_INSTANCES, "CM", "MSSQL11.CM")
                .put(View.KEY64, WindowsFacts.SQL + "\\MSSQL12.MSSQLSERVER\\Setup", "PatchLevel", "12.2.5000.0")
                .put(View.KEY64, WindowsFacts.SQL + "\\MSSQL12.MSSQLSERVER\\Setup", "Edition", "Standard Edition")
                .put(View.KEY64, WindowsFacts.SQL + "\\MSSQL11.CM\\Setup", "PatchLevel", "11.3.6020.0")
                .put(View.KEY64, WindowsFacts.SQL + "\\MSSQL11.CM\\Setup", "Edition", "Express Edition")
                .put(View.KEY64, WindowsFacts.SNAC11, "Version", "11.4.7001.0")
                .put(View.KEY64, WindowsFacts.SMS_IDENTIFICATION, "Site Server", "P01-CMSS01.corp.example");
        runner.fixture("Win32_QuickFixEngineering", "qfe-many.json")
                .fixture("LastBootUpTime", "last-boot.json")
                .answer("DetermineIfRebootPending", 0, "", "");
    }

    @Test
    void aServer2012R2SiteServer() {
        server2012R2SiteServerWithSql();
        HostFacts f = facts(List.of(Role.MANAGEMENT_POINT)).read(false);

        assertThat(f.hostname()).isEqualTo("p01-cmss01.corp.example");
        assertThat(f.os()).isEqualTo(new MachineSnapshot.Os("Windows Server 2012 R2 Standard", "6.3.9600", "server", "x64"));
        assertThat(f.roles()).containsExactly(Role.CLIENT, Role.SITE_SERVER, Role.MANAGEMENT_POINT);
        assertThat(f.hotfixes()).containsExactly("KB3140245", "KB4474419", "KB5031442");
        assertThat(f.dotnet()).isEqualTo(new MachineSnapshot.DotNet(528049L, true));
        // the lowest instance, in ProductVersion form (11.3.6020.0 in the registry: 2012 SP3)
        assertThat(f.sql()).isEqualTo(new MachineSnapshot.Sql("11.0.6020.0", "Express Edition", "11.4.7001.0"));
        assertThat(f.pendingReboot()).isFalse();
        assertThat(f.lastBootAt()).isEqualTo(Instant.parse("2026-11-30T06:12:44.5Z"));
    }

    @Test
    void windows10ReadsItsVersionFromTheMajorAndMinorDwordsAndAnX86ProcessSeesTheNativeArchitecture() {
        api.put(View.KEY64, WindowsFacts.CURRENT_VERSION, "CurrentMajorVersionNumber", 10)
                .put(View.KEY64, WindowsFacts.CURRENT_VERSION, "CurrentMinorVersionNumber", 0)
                .put(View.KEY64, WindowsFacts.CURRENT_VERSION, "CurrentVersion", "6.3")
                .put(View.KEY64, WindowsFacts.CURRENT_VERSION, "CurrentBuildNumber", "19045")
                .put(View.KEY64, WindowsFacts.PRODUCT_OPTIONS, "ProductType", "WinNT");
        env.put("PROCESSOR_ARCHITECTURE", "x86");
        env.put("PROCESSOR_ARCHITEW6432", "AMD64");
        runner.fixture("Win32_QuickFixEngineering", "qfe-one.json").fixture("DetermineIfRebootPending", "ccm-reboot-pending.json")
                .answer("LastBootUpTime", 1, "", "Get-CimInstance : Access denied");

        HostFacts f = facts(List.of()).read(false);

        assertThat(f.os().version()).isEqualTo("10.0.19045");
        assertThat(f.os().productType()).isEqualTo("workstation");
        assertThat(f.os().architecture()).isEqualTo("x64");
        assertThat(f.hotfixes()).containsExactly("KB2919355"); // one result: an object, not an array
        assertThat(f.pendingReboot()).isTrue(); // the ConfigMgr client's verdict
        assertThat(f.lastBootAt()).isNull();
        assertThat(f.roles()).containsExactly(Role.CLIENT);
        assertThat(f.sql()).isEqualTo(new MachineSnapshot.Sql(null, null, null)); // looked for, none
        assertThat(f.dotnet()).isEqualTo(new MachineSnapshot.DotNet(null, false));
    }

    @Test
    void pendingRenamesOrAChangeTheAgentMadeThisBootAreAPendingReboot() {
        api.put(View.KEY64, WindowsFacts.SESSION_MANAGER, "PendingFileRenameOperations", new String[] {"\\??\\C:\\x"});
        runner.answer("DetermineIfRebootPending", 0, "", "");
        assertThat(facts(List.of()).pendingReboot()).isTrue();

        api.deleteValue(WindowsFacts.SESSION_MANAGER, "PendingFileRenameOperations", View.KEY64);
        api.key(View.KEY64, WindowsFacts.CBS_REBOOT);
        assertThat(facts(List.of()).pendingReboot()).isTrue();
    }

    @Test
    void registryBuildsAreReportedInProductVersionForm() {
        assertThat(WindowsFacts.productVersion("10.53.6000.34")).isEqualTo("10.50.6000.34");
        assertThat(WindowsFacts.productVersion("10.4.6000.29")).isEqualTo("10.0.6000.29");
        assertThat(WindowsFacts.productVersion("13.2.5026.0")).isEqualTo("13.0.5026.0");
        assertThat(WindowsFacts.productVersion("not a version")).isNull();
    }
}
