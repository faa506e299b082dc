package org.tlsrollout.rules.catalog;

import java.util.List;
import java.util.Set;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.CatalogUpdates;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;

/**
 * {@code WSUS_TLS12_UPDATE} (role SOFTWARE_UPDATE_POINT on OS 6.2 or 6.3). 004: "For WSUS server that's running
 * Windows Server 2012, install update 4022721 or a later rollup update. For WSUS server that's running Windows
 * Server 2012 R2, install update 4022720 or a later rollup update ... TLS 1.2 updates are only needed on Windows
 * Server 2012 and Windows Server 2012 R2 WSUS servers." A later rollup counts only when the estate configures it
 * ({@code rules.later-rollups}; rules.md: "or a KB the estate configures as a later rollup"): which Monthly Rollups
 * carry the fix, and any UBR threshold, are unverified (windows-facts.md §5), so none is assumed.
 */
final class WsusTls12UpdateRule extends CatalogRule {
    static final String KB_OS_6_2 = CatalogUpdates.WSUS_2012;
    static final String KB_OS_6_3 = CatalogUpdates.WSUS_2012_R2;
    private static final List<Action> FIX_OS_6_2 = List.of(Fixes.installUpdate(KB_OS_6_2));
    private static final List<Action> FIX_OS_6_3 = List.of(Fixes.installUpdate(KB_OS_6_3));

    private final String[] accepted62;
    private final String[] accepted63;
    private final String expected62;
    private final String expected63;

    WsusTls12UpdateRule(CatalogOptions options) {
        super(RuleId.WSUS_TLS12_UPDATE, "001, 004");
        accepted62 = accepted(KB_OS_6_2, options.laterRollups());
        accepted63 = accepted(KB_OS_6_3, options.laterRollups());
        expected62 = expected(KB_OS_6_2, options.laterRollups());
        expected63 = expected(KB_OS_6_3, options.laterRollups());
    }

    @Override
    RuleResult evaluate(Evaluation e) {
        if (!e.snapshot.hasRole(Role.SOFTWARE_UPDATE_POINT)) {
            return notApplicable(e, "no SOFTWARE_UPDATE_POINT role");
        }
        if (!e.osKnown()) {
            return unknown(e, "OS version not reported; this rule concerns WSUS on OS 6.2 and 6.3");
        }
        boolean os62 = e.os.is(6, 2);
        if (!os62 && !e.os.is(6, 3)) {
            return notApplicable(e, () -> "OS " + e.osText + ": WSUS needs a TLS 1.2 update on OS 6.2 and 6.3 only");
        }
        String expected = os62 ? expected62 : expected63;
        if (e.snapshot.hotfixes() == null) {
            return unknown(e, "installed updates (hotfixes) not reported; expected " + expected + " on OS " + e.osText);
        }
        String found = e.installedHotfix(os62 ? accepted62 : accepted63);
        if (found == null) {
            return fail(e, "WSUS TLS 1.2 update not installed on OS " + e.osText + "; expected " + expected,
                    os62 ? FIX_OS_6_2 : FIX_OS_6_3);
        }
        String kb = os62 ? KB_OS_6_2 : KB_OS_6_3;
        return pass(e, () -> found + " is installed on OS " + e.osText
                + (found.equals(kb) ? "" : ", configured as a later rollup (in place of " + kb + ")"));
    }

    private static String[] accepted(String kb, Set<String> later) {
        String[] all = new String[later.size() + 1];
        all[0] = kb;
        int i = 1;
        for (String k : later) {
            all[i++] = k;
        }
        return all;
    }

    private static String expected(String kb, Set<String> later) {
        return later.isEmpty() ? kb : kb + " or a later rollup configured (" + String.join(", ", later) + ")";
    }
}
