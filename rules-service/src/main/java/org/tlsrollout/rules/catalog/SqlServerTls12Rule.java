package org.tlsrollout.rules.catalog;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * <p>
 * A FAIL installs the TLS 1.2 update of the machine's branch (windows-facts.md §5; KB3135244 is the article that
 * lists them, not an update); a branch marked "none: upgrade" fails with no action, its message naming the upgrade.
 * A version in the registry's {@code PatchLevel} form is read in the ProductVersion form rules.md asks for
 * ({@link SqlServerBuilds#productVersion}); a version of neither form is UNKNOWN, its branch cannot be told.
 */
final class SqlServerTls12Rule extends CatalogRule {
    static final String ARTICLE = "KB3135244";
    private static final String EXPECTED = "expected a TLS 1.2 build of SQL Server (" + ARTICLE + ")";
    /** Each branch's fix, built (and checked against the allowlist) once. */
    private static final Map<String, List<Action>> FIXES = new HashMap<>();

    static {
        for (SqlServerBuilds.Branch b : SqlServerBuilds.TABLE) {
            if (b.update() != null) {
                FIXES.put(b.update(), List.of(Fixes.installUpdate(b.update())));
            }
        }
    }

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
            return unknown(e, "SQL Server components (sql section) not reported; " + EXPECTED);
        }
        String text = sql.serverVersion();
        if (text == null) {
            // No version, so no branch: which TLS 1.2 update would apply cannot be told.
            return fail(e, "no SQL Server installed on a site database server (serverVersion null); " + EXPECTED
                    + ", installed as the estate installs SQL Server", List.of());
        }
        Version reported = Version.parseOrNull(text);
        if (reported == null) {
            return unknown(e, "SQL Server version '" + text + "' is not a dotted version; " + EXPECTED);
        }
        if (reported.major() >= 13) {
            return pass(e, () -> "SQL Server " + text + " (" + SqlServerBuilds.SQL_2016_AND_LATER.name()
                    + ") supports TLS 1.2");
        }
        Version v = SqlServerBuilds.productVersion(reported);
        SqlServerBuilds.Branch branch = v == null ? null : SqlServerBuilds.branchOf(v);
        if (branch == null) {
            return unknown(e, "SQL Server version " + text + " is neither in the ProductVersion form (10.50.6542.0) "
                    + "nor in the registry's PatchLevel form (10.53.6542.0) of a branch that " + ARTICLE
                    + " lists: its branch cannot be told; " + EXPECTED);
        }
        String found = "SQL Server " + text + (v.compareTo(reported) == 0 ? "" : " (PatchLevel form; ProductVersion "
                + v.major() + "." + v.minor() + "." + v.build() + ")") + " (" + branch.name() + ")";
        if (branch.supports(v)) {
            return pass(e, () -> found + " supports TLS 1.2"
                    + (branch.first() == null ? "" : ": at or after " + branch.first() + ", the first TLS 1.2 build"));
        }
        if (branch.upgrade()) {
            return fail(e, found + " has no TLS 1.2 build (" + ARTICLE + "); expected " + branch.upgradeTo()
                    + ": no update to install", List.of());
        }
        return fail(e, found + " is earlier than " + branch.first() + ", the first TLS 1.2 build of its branch; "
                + "expected " + branch.first() + " or later: " + branch.update() + ", the branch's TLS 1.2 update ("
                + ARTICLE + ")", FIXES.get(branch.update()));
    }
}
