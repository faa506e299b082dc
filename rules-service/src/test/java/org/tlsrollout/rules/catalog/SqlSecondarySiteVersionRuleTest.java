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

/**
 * 004: "Secondary site servers need to use at least SQL Server 2016 Express with Service Pack 2 (13.2.50.26) or
 * later"; rules.md: ">= 13.0.5026.0 (SQL Server 2016 SP2; the server page writes it \"13.2.50.26\")".
 */
class SqlSecondarySiteVersionRuleTest {
    private static final RuleId ID = RuleId.SQL_SECONDARY_SITE_VERSION;
    private static final Action FIX = Action.installSoftware("sql-server-express", "13.0.5026.0");

    private static SnapshotBuilder secondary() {
        return SnapshotBuilder.server("10.0.17763", Role.SECONDARY_SITE_SERVER);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "13.0.5026.0, PASS",  // SQL Server 2016 SP2
        "13.0.5026, PASS",    // a missing part counts as 0
        "13.0.5025.9, FAIL",
        "13.0.4001.0, FAIL",  // 2016 SP1
        "13.0.1601.5, FAIL",  // 2016 RTM
        "12.0.6024.0, FAIL",  // 2014 SP3: TLS 1.2, but older than the secondary-site minimum
        "13.2.5026.0, PASS",  // 2016 SP2 in the registry's PatchLevel form (rules.md, "SQL Server builds")
        "13.1.4001.0, FAIL",  // 2016 SP1 in the PatchLevel form: 13.0.4001.0, although 13.1 > 13.0
        "13.0.5026.99, PASS", // compared on major.minor.build
        "14.0.1000.169, PASS",
        "15.0.2000.5, PASS",
    })
    @DisplayName("004: \"at least SQL Server 2016 Express with Service Pack 2\"")
    void requires2016Sp2(String version, RuleStatus expected) {
        RuleResult r = result(secondary().sql(version, "11.4.7001.0"), ID);
        assertThat(r.status()).isEqualTo(expected);
        assertThat(r.message()).contains(version, "13.0.5026.0");
        if (expected == RuleStatus.FAIL) {
            assertThat(r.actions()).containsExactly(FIX);
        }
    }

    @Test
    @DisplayName("rules.md: a 2016 version of neither form (ProductVersion, PatchLevel) is UNKNOWN")
    void neitherFormIsUnknown() {
        RuleResult r = result(secondary().sql("13.7.5026.0", "11.4.7001.0"), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.UNKNOWN);
        assertThat(r.message()).contains("13.7.5026.0", "neither in the ProductVersion form");
    }

    @Test
    @DisplayName("rules.md: sql absent: UNKNOWN; version null: FAIL")
    void sqlAbsentIsUnknownNullVersionFails() {
        assertThat(result(secondary(), ID).status()).isEqualTo(RuleStatus.UNKNOWN);
        RuleResult r = result(secondary().sql(null, "11.4.7001.0"), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.actions()).containsExactly(FIX);
        assertThat(r.message()).contains("no SQL Server installed");
    }

    @Test
    @DisplayName("rules.md: applies to role SECONDARY_SITE_SERVER only")
    void onlyOnSecondarySites() {
        RuleResult r = result(SnapshotBuilder.server("10.0.17763", Role.SITE_SERVER, Role.SITE_DATABASE_SERVER)
                .sql("12.0.6024.0", "11.4.7001.0"), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.NOT_APPLICABLE);
        assertThat(result(secondary().sql("13.0.5026.0", null), ID).source()).isEqualTo("004");
    }
}
