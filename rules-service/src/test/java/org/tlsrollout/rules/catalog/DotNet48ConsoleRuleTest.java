package org.tlsrollout.rules.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrollout.rules.catalog.Catalogs.result;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;
import org.tlsrollout.contracts.Severity;

/**
 * rules.md: "dotnet.v4Release >= 528040 (.NET 4.8, required by the console from ConfigMgr 2403)", source
 * "Microsoft ConfigMgr 2403 notes" (no seed states it; 003 only advises "install the latest version of .NET
 * version 4.8").
 */
class DotNet48ConsoleRuleTest {
    private static final RuleId ID = RuleId.DOTNET_48_CONSOLE;

    private static SnapshotBuilder console() {
        return SnapshotBuilder.win10().roles(Role.CLIENT, Role.ADMIN_CONSOLE);
    }

    @ParameterizedTest(name = "v4Release {0}: {1}")
    @CsvSource({
        "394802, FAIL, 4.6.2",
        "461808, FAIL, 4.7.2",
        "528039, FAIL, 4.7.2",
        "528040, PASS, 4.8",
        "528372, PASS, 4.8",
        "533320, PASS, 4.8.1",
    })
    @DisplayName("rules.md: \"v4Release >= 528040 (.NET 4.8, required by the console from ConfigMgr 2403)\"")
    void consoleNeeds48(long release, RuleStatus expected, String name) {
        RuleResult r = result(console().dotnet(release), ID);
        assertThat(r.status()).isEqualTo(expected);
        assertThat(r.severity()).isEqualTo(Severity.WARNING);
        assertThat(r.message()).contains("v4Release " + release, ".NET Framework " + name, "528040");
        if (expected == RuleStatus.FAIL) {
            assertThat(r.actions()).containsExactly(Action.installSoftware("dotnet-framework", "4.8"));
        }
    }

    @Test
    @DisplayName("rules.md: applies to role ADMIN_CONSOLE only; dotnet absent UNKNOWN, no v4Release FAIL")
    void appliesToAdminConsolesOnlyUnknownWithoutDotnetFailWithoutRelease() {
        assertThat(result(SnapshotBuilder.win10().dotnet(394802), ID).status()).isEqualTo(RuleStatus.NOT_APPLICABLE);
        assertThat(result(console().noDotnet(), ID).status()).isEqualTo(RuleStatus.UNKNOWN);
        RuleResult r = result(console().dotnetWithoutV4(), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.source()).isEqualTo("Microsoft ConfigMgr 2403 notes");
    }
}
