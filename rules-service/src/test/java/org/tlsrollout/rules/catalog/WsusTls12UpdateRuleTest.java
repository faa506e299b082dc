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
    @DisplayName("004: \"or a later rollup update\": the estate's configured rollups count, each on its own OS")
    void configuredLaterRollups() {
        RuleCatalog catalog = new RuleCatalog(CatalogOptions.DEFAULTS
                .withWsusRollupsOs62(List.of("KB5031442"))
                .withWsusRollupsOs63(List.of("KB5031419")));
        RuleResult r63 = result(catalog, sup("6.3.9600", "KB5031419").build(), ID);
        assertThat(r63.status()).isEqualTo(RuleStatus.PASS);
        assertThat(r63.message()).contains("KB5031419", "later rollup than KB4022720");
        assertThat(result(catalog, sup("6.2.9200", "KB5031442").build(), ID).status()).isEqualTo(RuleStatus.PASS);
        RuleResult crossed = result(catalog, sup("6.2.9200", "KB5031419").build(), ID);
        assertThat(crossed.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(crossed.message()).contains("KB4022721 or a later rollup configured (KB5031442)");
    }

    @ParameterizedTest(name = "OS {0}")
    @CsvSource({"10.0.14393", "10.0.20348", "6.1.7601"})
    @DisplayName("004: \"Starting in Windows Server 2016, TLS 1.2 is supported by default for WSUS\": other OS not applicable")
    void otherOsNotApplicable(String os) {
        assertThat(result(sup(os), ID).status()).isEqualTo(RuleStatus.NOT_APPLICABLE);
    }

    @Test
    @DisplayName("rules.md: applies to role SOFTWARE_UPDATE_POINT only; UNKNOWN without hotfixes")
    void roleAndUnknown() {
        assertThat(result(SnapshotBuilder.server("6.3.9600", Role.MANAGEMENT_POINT).hotfixes("KB2919355"), ID)
                .status()).isEqualTo(RuleStatus.NOT_APPLICABLE);
        RuleResult r = result(sup("6.3.9600").noHotfixes(), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.UNKNOWN);
        assertThat(r.message()).contains("hotfixes", "KB4022720");
        assertThat(r.source()).isEqualTo("001, 004");
    }
}
