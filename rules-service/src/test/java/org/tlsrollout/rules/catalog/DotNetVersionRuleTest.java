package org.tlsrollout.rules.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrollout.rules.catalog.Catalogs.result;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;

/**
 * 000: "NET Framework 4.6.2 and later supports TLS 1.1 and TLS 1.2 ... Update NET Framework 4.6 and earlier
 * versions"; 003: "Starting version 2107, Configuration Manager requires Microsoft .NET Framework version 4.6.2
 * ... install the latest version of .NET version 4.8".
 */
class DotNetVersionRuleTest {
    private static final RuleId ID = RuleId.DOTNET_VERSION;
    private static final Action INSTALL_48 = Action.installSoftware("dotnet-framework", "4.8");

    @ParameterizedTest(name = "v4Release {0} (.NET {1}): {2}")
    @CsvSource({
        "378389, 4.5,   FAIL",
        "379893, 4.5.2, FAIL", // the Windows 7 example
        "393297, 4.6,   FAIL", // 000: "Update NET Framework 4.6 and earlier versions"
        "394271, 4.6.1, FAIL",
        "394801, 4.6.1, FAIL", // one below the threshold
        "394802, 4.6.2, PASS", // 000: "NET Framework 4.6.2 and later supports TLS 1.1 and TLS 1.2"
        "461814, 4.7.2, PASS",
        "528372, 4.8,   PASS",
        "533325, 4.8.1, PASS",
    })
    void requires462(long release, String name, RuleStatus expected) {
        RuleResult r = result(SnapshotBuilder.win10().dotnet(release), ID);
        assertThat(r.status()).isEqualTo(expected);
        assertThat(r.message()).contains("v4Release " + release, ".NET Framework " + name, "394802");
        if (expected == RuleStatus.FAIL) {
            assertThat(r.actions()).containsExactly(INSTALL_48);
            assertThat(r.message()).contains("expected v4Release >= 394802 (.NET Framework 4.6.2)");
        }
    }

    @Test
    @DisplayName("rules.md: \"dotnet absent: UNKNOWN; present without v4Release: FAIL\"")
    void absentSectionIsUnknownButMissingReleaseFails() {
        RuleResult unknown = result(SnapshotBuilder.win10().noDotnet(), ID);
        assertThat(unknown.status()).isEqualTo(RuleStatus.UNKNOWN);
        assertThat(unknown.message()).contains("not reported");

        RuleResult fail = result(SnapshotBuilder.win10().dotnetWithoutV4(), ID);
        assertThat(fail.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(fail.actions()).containsExactly(INSTALL_48);
        assertThat(fail.message()).contains("v4Release absent");
    }

    @Test
    @DisplayName("000: \"any computer that communicates across the network with a TLS 1.2-enabled system\": site systems too")
    void appliesToSiteSystems() {
        RuleResult r = result(SnapshotBuilder.server("6.3.9600", Role.SITE_SERVER).dotnet(379893), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.phase()).isEqualTo(Phase.SITE_SYSTEMS);
        assertThat(r.source()).isEqualTo("000, 001, 003");
    }
}
