package org.tlsrollout.rules.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrollout.rules.catalog.Catalogs.result;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.CatalogUpdates;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;

/**
 * 004: "Microsoft SQL Server 2016 and later support TLS 1.1 and TLS 1.2. Earlier versions and dependent libraries
 * might require updates. For more information, see KB 3135244"; the branch table of rules.md ("SQL Server builds
 * that support TLS 1.2 (KB3135244)", "Compare major.minor.build"); the update of each branch from windows-facts.md §5
 * ("Update to install"), as contracts' CatalogUpdates names it.
 */
class SqlServerTls12RuleTest {
    private static final RuleId ID = RuleId.SQL_SERVER_TLS12;

    private static SnapshotBuilder databaseServer(String version) {
        return SnapshotBuilder.server("6.3.9600", Role.SITE_DATABASE_SERVER).sql(version, "11.4.7462.6");
    }

    @ParameterizedTest(name = "{0}: {1} ({2}) {3}")
    @CsvSource(delimiter = '|', textBlock = """
        # version | status | branch | the branch's update (windows-facts.md §5, "Update to install"); -: none
        # 2016 and later: major >= 13, all
        13.0.1601.5   | PASS | SQL Server 2016 and later     | -
        13.0.5026.0   | PASS | SQL Server 2016 and later     | -
        15.0.2000.5   | PASS | SQL Server 2016 and later     | -
        16.0.1000.6   | PASS | SQL Server 2016 and later     | -
        # 2014 SP2 and later (>= 5000): all
        12.0.5000.0   | PASS | SQL Server 2014 SP2 and later | -
        12.0.6024.0   | PASS | SQL Server 2014 SP2 and later | -
        # 2014 SP1 CU line (4400-4999): first 12.0.4439.1
        12.0.4400.0   | FAIL | SQL Server 2014 SP1 CU line   | KB3130926
        12.0.4438.9   | FAIL | SQL Server 2014 SP1 CU line   | KB3130926
        12.0.4439.1   | PASS | SQL Server 2014 SP1 CU line   | -
        12.0.4999.0   | PASS | SQL Server 2014 SP1 CU line   | -
        # 2014 SP1 GDR line (4100-4399): first 12.0.4219.0
        12.0.4100.1   | FAIL | SQL Server 2014 SP1 GDR line  | KB4019091
        12.0.4218.0   | FAIL | SQL Server 2014 SP1 GDR line  | KB4019091
        12.0.4219.0   | PASS | SQL Server 2014 SP1 GDR line  | -
        12.0.4399.0   | PASS | SQL Server 2014 SP1 GDR line  | -
        # 2014 RTM CU line (2300-4099): first 12.0.2564.0
        12.0.2300.0   | FAIL | SQL Server 2014 RTM CU line   | KB3130923
        12.0.2563.0   | FAIL | SQL Server 2014 RTM CU line   | KB3130923
        12.0.2564.0   | PASS | SQL Server 2014 RTM CU line   | -
        12.0.4099.0   | PASS | SQL Server 2014 RTM CU line   | -
        # 2014 RTM GDR line (2000-2299): first 12.0.2271.0
        12.0.2000.8   | FAIL | SQL Server 2014 RTM GDR line  | KB4022619
        12.0.2270.0   | FAIL | SQL Server 2014 RTM GDR line  | KB4022619
        12.0.2271.0   | PASS | SQL Server 2014 RTM GDR line  | -
        12.0.2299.0   | PASS | SQL Server 2014 RTM GDR line  | -
        12.0.1524.0   | FAIL | SQL Server 2014 before RTM    | -
        # 2012 SP4 (>= 7001): all
        11.0.7001.0   | PASS | SQL Server 2012 SP4           | -
        11.0.7507.2   | PASS | SQL Server 2012 SP4           | -
        # 2012 SP3 CU line (6500-7000): first 11.0.6518.0
        11.0.6500.0   | FAIL | SQL Server 2012 SP3 CU line   | KB3123299
        11.0.6517.0   | FAIL | SQL Server 2012 SP3 CU line   | KB3123299
        11.0.6518.0   | PASS | SQL Server 2012 SP3 CU line   | -
        11.0.7000.0   | PASS | SQL Server 2012 SP3 CU line   | -
        # 2012 SP3 GDR line (6020-6499): first 11.0.6216.27
        11.0.6020.0   | FAIL | SQL Server 2012 SP3 GDR line  | KB4057115
        11.0.6215.0   | FAIL | SQL Server 2012 SP3 GDR line  | KB4057115
        11.0.6216.27  | PASS | SQL Server 2012 SP3 GDR line  | -
        11.0.6499.0   | PASS | SQL Server 2012 SP3 GDR line  | -
        # 2012 SP2 CU line (5500-6019): first 11.0.5644.2
        11.0.5500.0   | FAIL | SQL Server 2012 SP2 CU line   | KB3120313
        11.0.5643.0   | FAIL | SQL Server 2012 SP2 CU line   | KB3120313
        11.0.5644.2   | PASS | SQL Server 2012 SP2 CU line   | -
        11.0.6019.0   | PASS | SQL Server 2012 SP2 CU line   | -
        # 2012 SP2 GDR line (5058-5499): first 11.0.5352.0
        11.0.5058.0   | FAIL | SQL Server 2012 SP2 GDR line  | KB3194719
        11.0.5351.0   | FAIL | SQL Server 2012 SP2 GDR line  | KB3194719
        11.0.5352.0   | PASS | SQL Server 2012 SP2 GDR line  | -
        11.0.5499.0   | PASS | SQL Server 2012 SP2 GDR line  | -
        # 2012 earlier (< 5058): none, upgrade
        11.0.5057.0   | FAIL | SQL Server 2012 before SP2    | -
        11.0.2100.60  | FAIL | SQL Server 2012 before SP2    | -
        # 2008 R2 SP3 (>= 6000): first 10.50.6542.0; earlier service packs: upgrade
        10.50.6000.34 | FAIL | SQL Server 2008 R2 SP3        | KB4057113
        10.50.6541.0  | FAIL | SQL Server 2008 R2 SP3        | KB4057113
        10.50.6542.0  | PASS | SQL Server 2008 R2 SP3        | -
        10.50.6560.0  | PASS | SQL Server 2008 R2 SP3        | -
        10.50.4000.0  | FAIL | SQL Server 2008 R2 before SP3 | -
        10.50.5999.0  | FAIL | SQL Server 2008 R2 before SP3 | -
        # 2008 SP4 (>= 6000): first 10.0.6547.0; earlier service packs: upgrade
        10.0.6000.29  | FAIL | SQL Server 2008 SP4           | KB4057114
        10.0.6546.0   | FAIL | SQL Server 2008 SP4           | KB4057114
        10.0.6547.0   | PASS | SQL Server 2008 SP4           | -
        10.0.6556.0   | PASS | SQL Server 2008 SP4           | -
        10.0.5500.0   | FAIL | SQL Server 2008 before SP4    | -
        # 2005 and earlier: major <= 9, upgrade
        9.0.5000.0    | FAIL | SQL Server 2005 and earlier   | -
        8.0.2039      | FAIL | SQL Server 2005 and earlier   | -
        """)
    void followsTheBranchTable(String version, RuleStatus expected, String branch, String update) {
        RuleResult r = result(databaseServer(version), ID);
        assertThat(r.status()).isEqualTo(expected);
        assertThat(r.message()).contains("SQL Server " + version, branch);
        if (update.equals("-")) {
            // PASS, or "none: upgrade": nothing to install
            assertThat(r.actions()).isEmpty();
        } else {
            assertThat(r.actions()).containsExactly(Action.installUpdate(update));
            assertThat(CatalogUpdates.SQL_SERVER_TLS12).contains(update);
            assertThat(r.message()).contains(update);
        }
    }

    @Test
    @DisplayName("rules.md: \"Compare major.minor.build\": the revision does not matter at the boundary")
    void revisionIsIgnored() {
        assertThat(result(databaseServer("12.0.4439.0"), ID).status()).isEqualTo(RuleStatus.PASS);
        assertThat(result(databaseServer("12.0.4438.99"), ID).status()).isEqualTo(RuleStatus.FAIL);
        assertThat(result(databaseServer("11.0.6216.0"), ID).status()).isEqualTo(RuleStatus.PASS);
    }

    @Test
    @DisplayName("rules.md: a branch's first TLS 1.2 build and its update, or \"none: upgrade\" naming the upgrade")
    void messagesNameTheFirstBuildOrTheUpgrade() {
        // windows-facts.md §5, "2014 SP1 CU | 12.0.4439.1 | KB3130926"
        RuleResult cu = result(databaseServer("12.0.4438.0"), ID);
        assertThat(cu.message()).contains("earlier than 12.0.4439.1", "first TLS 1.2 build of its branch", "KB3130926");
        assertThat(cu.actions()).containsExactly(Action.installUpdate(CatalogUpdates.SQL_2014_SP1_CU));
        // rules.md: "2012 (11.0) | earlier (< 5058) | none: upgrade"
        RuleResult old = result(databaseServer("11.0.5057.0"), ID);
        assertThat(old.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(old.message()).contains("has no TLS 1.2 build", "upgrade to SQL Server 2012 SP4", "no update to install");
        assertThat(old.actions()).isEmpty();
        // rules.md: "2008 R2 / 2008 | earlier service packs | none: upgrade"; then the SP3 row's update
        RuleResult r2sp2 = result(databaseServer("10.50.4000.0"), ID);
        assertThat(r2sp2.message()).contains("upgrade to SQL Server 2008 R2 SP3", "KB4057113");
        assertThat(r2sp2.actions()).isEmpty();
        // rules.md: "2005 and earlier | major <= 9 | none: upgrade"
        assertThat(result(databaseServer("9.0.5000.0"), ID).message()).contains("upgrade to SQL Server 2016 or later");
        RuleResult pass = result(databaseServer("12.0.4439.1"), ID);
        assertThat(pass.message()).contains("supports TLS 1.2", "12.0.4439.1");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        // windows-facts.md §5, "registry/MSI put the SP in the minor (10.53.6000.34, 13.2.5026.0)"
        "10.53.6000.34, FAIL, SQL Server 2008 R2 SP3, 10.50.6000, KB4057113",
        "10.53.6542.0,  PASS, SQL Server 2008 R2 SP3, 10.50.6542, -",
        "10.52.4000.0,  FAIL, SQL Server 2008 R2 before SP3, 10.50.4000, -",
        "10.4.6000.29,  FAIL, SQL Server 2008 SP4, 10.0.6000, KB4057114",
        "10.4.6547.0,   PASS, SQL Server 2008 SP4, 10.0.6547, -",
        "11.3.6020.0,   FAIL, SQL Server 2012 SP3 GDR line, 11.0.6020, KB4057115",
        "11.4.7001.0,   PASS, SQL Server 2012 SP4, 11.0.7001, -",
        "12.1.4439.1,   PASS, SQL Server 2014 SP1 CU line, 12.0.4439, -",
        "13.2.5026.0,   PASS, SQL Server 2016 and later, 13.2.5026.0, -",
    })
    @DisplayName("rules.md: a PatchLevel form (service pack in the minor) is read in the ProductVersion form")
    void patchLevelFormIsReadAsProductVersion(String version, RuleStatus expected, String branch, String product,
            String update) {
        RuleResult r = result(databaseServer(version), ID);
        assertThat(r.status()).isEqualTo(expected);
        assertThat(r.message()).contains("SQL Server " + version, branch, product);
        assertThat(r.actions()).isEqualTo(update.equals("-") ? List.of() : List.of(Action.installUpdate(update)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"10.5.6542.0", "10.25.6000.0", "10.54.6000.0", "11.5.7001.0", "12.4.6024.0"})
    @DisplayName("rules.md: a minor of neither form (ProductVersion, PatchLevel) tells no branch: UNKNOWN, no action")
    void unknownBranchIsUnknown(String version) {
        RuleResult r = result(databaseServer(version), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.UNKNOWN);
        assertThat(r.message()).contains(version, "neither in the ProductVersion form", "branch cannot be told");
    }

    @Test
    @DisplayName("rules.md: \"sql absent: UNKNOWN; version null: FAIL\"")
    void absentSqlIsUnknownNullVersionFails() {
        SnapshotBuilder noSql = SnapshotBuilder.server("6.3.9600", Role.SITE_DATABASE_SERVER);
        assertThat(result(noSql, ID).status()).isEqualTo(RuleStatus.UNKNOWN);
        RuleResult r = result(SnapshotBuilder.server("6.3.9600", Role.SITE_DATABASE_SERVER).sql(null, "11.4.7001.0"), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.message()).contains("no SQL Server installed");
        // without a version there is no branch, so no branch's update to install
        assertThat(r.actions()).isEmpty();
    }

    @Test
    @DisplayName("rules.md: applies to role SITE_DATABASE_SERVER only")
    void onlyOnTheSiteDatabaseServer() {
        RuleResult r = result(SnapshotBuilder.server("6.3.9600", Role.SITE_SERVER).sql("10.50.1600.1", "11.4.7001.0"), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.NOT_APPLICABLE);
        assertThat(r.phase()).isEqualTo(Phase.SITE_SYSTEMS);
        assertThat(result(databaseServer("12.0.2000.8"), ID).source()).isEqualTo("001, 004");
    }
}
