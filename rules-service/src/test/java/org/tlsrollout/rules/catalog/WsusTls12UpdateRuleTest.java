package org.tlsrollout.rules.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrollout.rules.catalog.Catalogs.result;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;

/**
 * 004: "For WSUS server that's running Windows Server 2012, install update 4022721 or a later rollup update. For
 * WSUS server that's running Windows Server 2012 R2, install update 4022720 or a later rollup update ... TLS 1.2
 * updates are only needed on Windows Server 2012 and Windows Server 2012 R2 WSUS servers."
 */
class WsusTls12UpdateRuleTest {
    private static final RuleId ID = RuleId.WSUS_TLS12_UPDATE;

    private static SnapshotBuilder sup(String os, String... hotfixes) {
        return SnapshotBuilder.server(os, Role.SOFTWARE_UPDATE_POINT).hotfixes(hotfixes);
    }

    @ParameterizedTest(name = "OS {0} with {1}: {2}")
    @CsvSource({
        "6.2.9200, KB4022721, PASS",  // 004: "Windows Server 2012, install update 4022721"
        "6.2.9200, KB4022720, FAIL",  // the 2012 R2 update does not count on 2012
        "6.2.9200, KB3140245, FAIL",
        "6.3.9600, KB4022720, PASS",  // 004: "Windows Server 2012 R2, install update 4022720"
        "6.3.9600, kb4022720, PASS",
        "6.3.9600, KB4022721, FAIL",
        "6.3.9600, KB5031419, FAIL",  // a later rollup counts only when configured
    })
    void needsTheUpdateOfItsOs(String os, String hotfix, RuleStatus expected) {
        RuleResult r = result(sup(os, "KB2919355", hotfix), ID);
        assertThat(r.status()).isEqualTo(expected);
        if (expected == RuleStatus.FAIL) {
            String kb = os.startsWith("6.2") ? "KB4022721" : "KB4022720";
            assertThat(r.actions()).containsExactly(Action.installUpdate(kb));
            assertThat(r.message()).contains("not installed", "expected " + kb);
        } else {
            assertThat(r.message()).contains("is installed");
        }
    }

    @Test
    @DisplayName("004: \"or a later rollup update\": only KBs the estate configures (rules.later-rollups) count")
    void configuredLaterRollups() {
        // windows-facts.md §5: "The later-rollup KB list (e.g. July 2017: KB4025336, KB4025331) ... keep them as
        // estate configuration": by default a later rollup is not recognised.
        var july2017 = sup("6.3.9600", "KB4025336").build();
        RuleResult unconfigured = result(july2017, ID);
        assertThat(unconfigured.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(unconfigured.message()).contains("expected KB4022720").doesNotContain("later rollup");

        RuleCatalog catalog = new RuleCatalog(CatalogOptions.DEFAULTS.withLaterRollups(List.of("KB4025336", "KB4025331")));
        RuleResult r63 = result(catalog, july2017, ID);
        assertThat(r63.status()).isEqualTo(RuleStatus.PASS);
        assertThat(r63.message()).contains("KB4025336 is installed", "later rollup (in place of KB4022720)");
        RuleResult r62 = result(catalog, sup("6.2.9200", "KB4025331").build(), ID);
        assertThat(r62.status()).isEqualTo(RuleStatus.PASS);
        assertThat(r62.message()).contains("KB4025331", "in place of KB4022721");
        RuleResult missing = result(catalog, sup("6.2.9200", "KB2919355").build(), ID);
        assertThat(missing.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(missing.message()).contains("KB4022721 or a later rollup configured (KB4025331, KB4025336)");
        // the fix installs the update 004 names, never a configured rollup
        assertThat(missing.actions()).containsExactly(Action.installUpdate("KB4022721"));
    }

    @ParameterizedTest(name = "OS {0}")
    @CsvSource({"10.0.14393", "10.0.20348", "6.1.7601"})
    @DisplayName("004: \"Starting in Windows Server 2016, TLS 1.2 is supported by default for WSUS\": other OS not applicable")
    void otherOsNotApplicable(String os) {
        assertThat(result(sup(os), ID).status()).isEqualTo(RuleStatus.NOT_APPLICABLE);
    }

    @Test
    @DisplayName("rules.md: applies to role SOFTWARE_UPDATE_POINT only; UNKNOWN without hotfixes")
    void appliesToSoftwareUpdatePointsOnlyUnknownWithoutHotfixes() {
        assertThat(result(SnapshotBuilder.server("6.3.9600", Role.MANAGEMENT_POINT).hotfixes("KB2919355"), ID)
                .status()).isEqualTo(RuleStatus.NOT_APPLICABLE);
        RuleResult r = result(sup("6.3.9600").noHotfixes(), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.UNKNOWN);
        assertThat(r.message()).contains("hotfixes", "KB4022720");
        assertThat(r.source()).isEqualTo("001, 004");
    }
}
