package org.tlsrollout.rules.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrollout.rules.catalog.Catalogs.result;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;

/**
 * 004: "Make sure to also update the SQL Server Native Client to at least version SQL Server 2012 SP4
 * (11.*.7001.0)" and "Configuration Manager uses SQL Server Native Client on the following site system roles".
 */
class SqlNativeClientRuleTest {
    private static final RuleId ID = RuleId.SQL_NATIVE_CLIENT;
    private static final Action FIX = Action.installSoftware("sql-native-client", "11.4.7001.0");

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "11.4.7001.0, PASS", // 004: "(11.*.7001.0)"
        "11.0.7001.0, PASS", // any minor: "11.*"
        "11.4.7462.6, PASS",
        "11.4.7000.0, FAIL",
        "11.3.6538.0, FAIL", // 2012 SP3
        "11.0.2100.60, FAIL",
        "10.50.1600.1, FAIL", // SQL Native Client 10
        "12.0.0.0, PASS",    // rules.md: "major > 11"
        "18.6.5.0, PASS",
    })
    @DisplayName("004: \"at least version SQL Server 2012 SP4 (11.*.7001.0)\"")
    void requires2012Sp4(String version, RuleStatus expected) {
        RuleResult r = result(SnapshotBuilder.server("6.3.9600", Role.MANAGEMENT_POINT).sql(null, version), ID);
        assertThat(r.status()).isEqualTo(expected);
        assertThat(r.message()).contains("Native Client " + version, "11.*.7001.0");
        if (expected == RuleStatus.FAIL) {
            assertThat(r.actions()).containsExactly(FIX);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"SITE_DATABASE_SERVER", "SITE_SERVER", "SECONDARY_SITE_SERVER",
        "SMS_PROVIDER", "MANAGEMENT_POINT", "DEVICE_MANAGEMENT_POINT", "STATE_MIGRATION_POINT", "SOFTWARE_UPDATE_POINT",
        "MULTICAST_DISTRIBUTION_POINT", "ASSET_INTELLIGENCE_SYNC_POINT", "REPORTING_SERVICES_POINT", "ENROLLMENT_POINT",
        "ENDPOINT_PROTECTION_POINT", "SERVICE_CONNECTION_POINT", "CERTIFICATE_REGISTRATION_POINT",
        "DATA_WAREHOUSE_SERVICE_POINT"})
    @DisplayName("004: \"Configuration Manager uses SQL Server Native Client on the following site system roles\"")
    void appliesToTheListedRoles(Role role) {
        RuleResult r = result(SnapshotBuilder.server("6.3.9600", role).sql(null, "11.3.6538.0"), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.message()).contains(role.name());
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"CLIENT", "ADMIN_CONSOLE", "DISTRIBUTION_POINT", "APPLICATION_CATALOG"})
    @DisplayName("004's list leaves out plain distribution points, the application catalog, clients and the console")
    void notApplicableToOtherRoles(Role role) {
        RuleResult r = result(SnapshotBuilder.server("6.3.9600").roles(Role.CLIENT, role).sql(null, "10.50.1600.1"), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.NOT_APPLICABLE);
    }

    @Test
    @DisplayName("rules.md: \"sql absent: UNKNOWN; version null: FAIL\"")
    void sqlAbsentIsUnknownNullVersionFails() {
        assertThat(result(SnapshotBuilder.server("6.3.9600", Role.SMS_PROVIDER), ID).status())
                .isEqualTo(RuleStatus.UNKNOWN);
        RuleResult r = result(SnapshotBuilder.server("6.3.9600", Role.SMS_PROVIDER).sql("13.0.5026.0", null), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.actions()).containsExactly(FIX);
        assertThat(r.message()).contains("not installed", "SMS_PROVIDER");
        assertThat(r.source()).isEqualTo("004");
    }
}
