package org.tlsrollout.rules.catalog;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;

/**
 * {@code SQL_NATIVE_CLIENT} (the roles on which ConfigMgr uses SQL Server Native Client, 004's list):
 * {@code sql.nativeClientVersion} has major > 11, or major 11 and third part >= 7001. 004: "update the SQL
 * Server Native Client to at least version SQL Server 2012 SP4 (11.*.7001.0)".
 */
final class SqlNativeClientRule extends CatalogRule {
    static final String MINIMUM_TEXT = "11.4.7001.0";
    static final int MAJOR = 11;
    static final int BUILD = 7001;
    /** 004: "Configuration Manager uses SQL Server Native Client on the following site system roles". */
    static final Set<Role> ROLES = EnumSet.of(Role.SITE_DATABASE_SERVER, Role.SITE_SERVER,
            Role.SECONDARY_SITE_SERVER, Role.SMS_PROVIDER, Role.MANAGEMENT_POINT, Role.DEVICE_MANAGEMENT_POINT,
            Role.STATE_MIGRATION_POINT, Role.SOFTWARE_UPDATE_POINT, Role.MULTICAST_DISTRIBUTION_POINT,
            Role.ASSET_INTELLIGENCE_SYNC_POINT, Role.REPORTING_SERVICES_POINT, Role.ENROLLMENT_POINT,
            Role.ENDPOINT_PROTECTION_POINT, Role.SERVICE_CONNECTION_POINT, Role.CERTIFICATE_REGISTRATION_POINT,
            Role.DATA_WAREHOUSE_SERVICE_POINT);
    private static final List<Action> FIX = List.of(Action.installSoftware("sql-native-client", MINIMUM_TEXT));
    private static final String EXPECTED = "expected SQL Server Native Client 11.*.7001.0 (SQL Server 2012 SP4) or later";

    SqlNativeClientRule() {
        super(RuleId.SQL_NATIVE_CLIENT, "004");
    }

    @Override
    RuleResult evaluate(Evaluation e) {
        Role role = firstRole(e);
        if (role == null) {
            return notApplicable(e, "no role on which Configuration Manager uses SQL Server Native Client");
        }
        MachineSnapshot.Sql sql = e.snapshot.sql();
        if (sql == null) {
            return unknown(e, "SQL Server components (sql section) not reported; " + EXPECTED);
        }
        String text = sql.nativeClientVersion();
        if (text == null) {
            return fail(e, "SQL Server Native Client not installed (nativeClientVersion null) on a " + role + "; "
                    + EXPECTED, FIX);
        }
        Version v = Version.parseOrNull(text);
        if (v == null) {
            return unknown(e, "SQL Server Native Client version '" + text + "' is not a dotted version; " + EXPECTED);
        }
        if (v.major() > MAJOR || (v.major() == MAJOR && v.build() >= BUILD)) {
            return pass(e, () -> "SQL Server Native Client " + text + " is 11.*.7001.0 (SQL Server 2012 SP4) or later");
        }
        return fail(e, "SQL Server Native Client " + text + " on a " + role + " is earlier than 11.*.7001.0; "
                + EXPECTED, FIX);
    }

    private static Role firstRole(Evaluation e) {
        List<Role> roles = e.snapshot.roles();
        if (roles != null) {
            for (Role r : roles) {
                if (r != null && ROLES.contains(r)) {
                    return r;
                }
            }
        }
        return null;
    }
}
