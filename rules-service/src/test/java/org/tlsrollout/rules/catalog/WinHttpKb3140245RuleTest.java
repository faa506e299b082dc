package org.tlsrollout.rules.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrollout.rules.catalog.Catalogs.result;
import static org.tlsrollout.rules.catalog.SnapshotBuilder.snapshot;

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
 * 002: "Earlier versions of Windows, such as Windows 7 or Windows Server 2012, don't enable TLS 1.1 or 1.2 by
 * default ... install Update 3140245"; 001: "Windows 8.0, Windows Server 2012, and earlier versions of Windows
 * ... you should install Update 3140245".
 */
class WinHttpKb3140245RuleTest {
    private static final RuleId ID = RuleId.WINHTTP_KB3140245;

    @ParameterizedTest(name = "OS {0} without KB3140245: {1}")
    @CsvSource({
        "6.1.7601, FAIL",           // 002: "such as Windows 7 ... install Update 3140245"
        "6.2.9200, FAIL",           // 002: "or Windows Server 2012"
        "6.3.9600, NOT_APPLICABLE", // 002: "Windows 8.1, Windows Server 2012 R2 ... natively support TLS 1.2"
        "10.0.19045, NOT_APPLICABLE", // 002: "Windows 10, Windows Server 2016, and later versions"
        "10.0.20348, NOT_APPLICABLE",
        "6.0.6002, NOT_APPLICABLE", // rules.md: applies to "OS 6.1 or 6.2" only
    })
    @DisplayName("002: \"install Update 3140245\" on Windows 7 / Server 2012, natively supported from 8.1 / 2012 R2")
    void appliesToOs61And62Only(String os, RuleStatus expected) {
        RuleResult r = result(snapshot().os(os).hotfixes("KB2533623"), ID);
        assertThat(r.status()).isEqualTo(expected);
        assertThat(r.message()).contains("OS " + os);
    }

    @Test
    @DisplayName("001: \"and earlier versions of Windows don't enable TLS 1.1 or 1.2 by default\": OS 6.0 is told so, "
            + "with no update claimed")
    void os60MessageSaysTheTruth() {
        RuleResult r = result(snapshot().os("6.0.6002").hotfixes("KB4019276"), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.NOT_APPLICABLE);
        assertThat(r.message()).contains("OS 6.0.6002", "does not enable TLS 1.2 by default",
                "KB3140245 is for OS 6.1 and 6.2 only", "no WinHTTP update").doesNotContain("natively");
        // 002: "Windows 8.1, Windows Server 2012 R2 ... natively support TLS 1.2"
        assertThat(result(snapshot().os("6.3.9600").hotfixes("KB2919355"), ID).message())
                .contains("supports TLS 1.2 natively");
    }

    @Test
    @DisplayName("002: \"install Update 3140245\": missing update fails with INSTALL_UPDATE KB3140245")
    void missingUpdateFails() {
        RuleResult r = result(SnapshotBuilder.win7().hotfixes("KB2533623", "KB3033929"), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.actions()).containsExactly(Action.installUpdate("KB3140245"));
        assertThat(r.message()).contains("KB3140245", "not installed", "6.1.7601");
        assertThat(r.source()).isEqualTo("001, 002, 003");
        assertThat(r.phase()).isEqualTo(Phase.CLIENTS);
    }

    @Test
    @DisplayName("002: \"install Update 3140245\": installed update passes, KB ids compared ignoring case")
    void installedUpdatePasses() {
        assertThat(result(SnapshotBuilder.win7().hotfixes("KB2533623", "KB3140245"), ID).status())
                .isEqualTo(RuleStatus.PASS);
        RuleResult r = result(SnapshotBuilder.win8().hotfixes("kb3140245"), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.PASS);
        assertThat(r.message()).contains("KB3140245 is installed");
    }

    @Test
    @DisplayName("rules.md: \"or a KB the estate configures as superseding it\"")
    void configuredSupersedingKbPasses() {
        var s = SnapshotBuilder.win7().hotfixes("KB5005565").build();
        assertThat(result(s, ID).status()).isEqualTo(RuleStatus.FAIL);
        RuleCatalog catalog = new RuleCatalog(CatalogOptions.DEFAULTS.withKb3140245Superseders(java.util.List.of("KB5005565")));
        RuleResult r = result(catalog, s, ID);
        assertThat(r.status()).isEqualTo(RuleStatus.PASS);
        assertThat(r.message()).contains("KB5005565", "superseding KB3140245");
        RuleResult other = result(catalog, SnapshotBuilder.win7().hotfixes("KB5005566").build(), ID);
        assertThat(other.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(other.message()).contains("KB3140245 or a KB configured as superseding it (KB5005565)");
    }

    @Test
    @DisplayName("rules.md: UNKNOWN when \"the snapshot lacks the section the rule needs\" (hotfixes, os)")
    void unknownWithoutHotfixesOrOs() {
        RuleResult r = result(SnapshotBuilder.win7().noHotfixes(), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.UNKNOWN);
        assertThat(r.message()).contains("hotfixes", "not reported");
        assertThat(result(snapshot().noOs().hotfixes("KB3140245"), ID).status()).isEqualTo(RuleStatus.UNKNOWN);
        // on an OS the rule does not concern, the missing section does not matter
        assertThat(result(SnapshotBuilder.win10().noHotfixes(), ID).status()).isEqualTo(RuleStatus.NOT_APPLICABLE);
    }

    @Test
    @DisplayName("rules.md: ENABLE rules land in SITE_SYSTEMS on a site system (Server 2012 management point)")
    void siteSystemResultLandsInSiteSystems() {
        RuleResult r = result(SnapshotBuilder.server("6.2.9200", Role.MANAGEMENT_POINT).hotfixes("KB2919355"), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.phase()).isEqualTo(Phase.SITE_SYSTEMS);
    }
}
