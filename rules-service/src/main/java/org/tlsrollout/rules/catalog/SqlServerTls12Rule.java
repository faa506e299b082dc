package org.tlsrollout.rules.catalog;

import java.util.List;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;

/**
 * {@code SQL_SERVER_TLS12} (role SITE_DATABASE_SERVER): {@code sql.serverVersion} is a TLS 1.2 build of its
 * branch (rules.md's table, from KB3135244). 004: "Microsoft SQL Server 2016 and later support TLS 1.1 and TLS
 * 1.2. Earlier versions and dependent libraries might require updates". {@code sql} absent: UNKNOWN; version
 * null (looked for, not installed): FAIL.
 */
final class SqlServerTls12Rule extends CatalogRule {
    static final String KB = "KB3135244";
    private static final List<Action> FIX = List.of(Action.installUpdate(KB));

    SqlServerTls12Rule() {
        super(RuleId.SQL_SERVER_TLS12, "001, 004");
    }

    @Override
    RuleResult evaluate(Evaluation e) {
        if (!e.snapshot.hasRole(Role.SITE_DATABASE_SERVER)) {
            return notApplicable(e, "no SITE_DATABASE_SERVER role");
        }
        MachineSnapshot.Sql sql = e.snapshot.sql();
        if (sql == null) {
            return unknown(e, "SQL Server components (sql section) not reported; expected a TLS 1.2 build of "
                    + "SQL Server (" + KB + ")");
        }
        String text = sql.serverVersion();
        if (text == null) {
            return fail(e, "no SQL Server installed on a site database server (serverVersion null); expected a "
                    + "TLS 1.2 build of SQL Server (" + KB + ")", FIX);
        }
        Version v = Version.parseOrNull(text);
        if (v == null) {
            return unknown(e, "SQL Server version '" + text + "' is not a dotted version");
        }
        SqlServerBuilds.Branch branch = SqlServerBuilds.branchOf(v);
        if (branch == null) {
            return fail(e, "SQL Server " + text + " is of no branch that " + KB + " lists; expected a TLS 1.2 build "
                    + "of SQL Server 2008 or later", FIX);
        }
        if (branch.supports(v)) {
            return pass(e, "SQL Server " + text + " (" + branch.name() + ") supports TLS 1.2"
                    + (branch.first() == null ? "" : ": at or after " + branch.first() + ", the first TLS 1.2 build"));
        }
        if (branch.upgrade()) {
            return fail(e, "SQL Server " + text + " (" + branch.name() + ") has no TLS 1.2 build; expected an upgrade "
                    + "to a service pack that " + KB + " lists, then its TLS 1.2 update", FIX);
        }
        return fail(e, "SQL Server " + text + " (" + branch.name() + ") is earlier than " + branch.first()
                + ", the first TLS 1.2 build of its branch; expected " + branch.first() + " or later (" + KB + ")", FIX);
    }
}
