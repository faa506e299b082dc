package org.tlsrollout.rules.catalog;

import java.util.List;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;

/**
 * {@code SQL_SECONDARY_SITE_VERSION} (role SECONDARY_SITE_SERVER): {@code sql.serverVersion} >= 13.0.5026.0.
 * 004: "Secondary site servers need to use at least SQL Server 2016 Express with Service Pack 2 (13.2.50.26) or
 * later"; the build of SQL Server 2016 SP2 is 13.0.5026.0, which rules.md uses (the page's "13.2.50.26" is not
 * a build number). Compared on {@code major.minor.build} in the ProductVersion form (rules.md): a version in the
 * registry's PatchLevel form is read in that form first, so 2016 SP1's PatchLevel 13.1.4001.0 is 13.0.4001.0, below.
 */
final class SqlSecondarySiteVersionRule extends CatalogRule {
    static final String MINIMUM_TEXT = "13.0.5026.0";
    static final Version MINIMUM = Version.parse(MINIMUM_TEXT);
    private static final List<Action> FIX = List.of(Action.installSoftware("sql-server-express", MINIMUM_TEXT));
    private static final String EXPECTED = "expected SQL Server " + MINIMUM_TEXT + " (2016 SP2) or later";

    SqlSecondarySiteVersionRule() {
        super(RuleId.SQL_SECONDARY_SITE_VERSION, "004");
    }

    @Override
    RuleResult evaluate(Evaluation e) {
        if (!e.snapshot.hasRole(Role.SECONDARY_SITE_SERVER)) {
            return notApplicable(e, "no SECONDARY_SITE_SERVER role");
        }
        MachineSnapshot.Sql sql = e.snapshot.sql();
        if (sql == null) {
            return unknown(e, "SQL Server components (sql section) not reported; " + EXPECTED);
        }
        String text = sql.serverVersion();
        if (text == null) {
            return fail(e, "no SQL Server installed on a secondary site server (serverVersion null); " + EXPECTED, FIX);
        }
        Version v = Version.parseOrNull(text);
        if (v == null) {
            return unknown(e, "SQL Server version '" + text + "' is not a dotted version; " + EXPECTED);
        }
        // Only 2016 (13) has versions on both sides of the minimum; its minor depends on the form.
        Version product = v.major() == MINIMUM.major() ? SqlServerBuilds.productVersion(v) : v;
        if (product == null) {
            return unknown(e, "SQL Server version " + text + " is neither in the ProductVersion form (13.0.5026.0) nor "
                    + "in the registry's PatchLevel form (13.2.5026.0); " + EXPECTED);
        }
        if (product.compareTo(MINIMUM, 3) < 0) {
            return fail(e, "SQL Server " + text + (product.minor() == v.minor() ? "" : " (PatchLevel form; ProductVersion "
                    + product.major() + "." + product.minor() + "." + product.build() + ")") + " is earlier than "
                    + MINIMUM_TEXT + "; " + EXPECTED, FIX);
        }
        return pass(e, () -> "SQL Server " + text + " >= " + MINIMUM_TEXT + " (2016 SP2)");
    }
}
