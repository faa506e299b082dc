package org.tlsrollout.rules.catalog;

import java.util.List;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.CatalogUpdates;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;

/**
 * {@code WINHTTP_KB3140245}: on OS 6.1 and 6.2, Update 3140245 (or a KB the estate configures as superseding
 * it) is installed. 002: "Earlier versions of Windows, such as Windows 7 or Windows Server 2012, don't enable
 * TLS 1.1 or 1.2 by default ... install Update 3140245".
 */
final class WinHttpKb3140245Rule extends CatalogRule {
    static final String KB = CatalogUpdates.WINHTTP;
    /**
     * OS 6.0 and earlier: 001 says "Windows 8.0, Windows Server 2012, and earlier versions of Windows don't enable TLS
     * 1.1 or 1.2 by default" in WinHTTP, but KB3140245 is for Windows 7 SP1, Server 2008 R2 SP1 and Server 2012 only,
     * and rules.md applies the WinHTTP rules to OS 6.1 and 6.2: not applicable, and the message says so.
     */
    static final String BEFORE_6_1 = ": WinHTTP does not enable TLS 1.2 by default there either (001: \"earlier "
            + "versions of Windows don't enable TLS 1.1 or 1.2 by default\"), but " + KB + " is for OS 6.1 and 6.2 "
            + "only and the catalog has no WinHTTP update for it; only an OS upgrade brings TLS 1.2 to WinHTTP here";
    private static final List<Action> FIX = List.of(Fixes.installUpdate(KB));

    /** KB3140245 first, then the configured superseding KBs. */
    private final String[] accepted;
    private final String expected;

    WinHttpKb3140245Rule(CatalogOptions options) {
        super(RuleId.WINHTTP_KB3140245, "001, 002, 003");
        accepted = new String[options.kb3140245Superseders().size() + 1];
        accepted[0] = KB;
        int i = 1;
        for (String kb : options.kb3140245Superseders()) {
            accepted[i++] = kb;
        }
        expected = accepted.length == 1
                ? KB
                : KB + " or a KB configured as superseding it (" + String.join(", ", options.kb3140245Superseders()) + ")";
    }

    @Override
    RuleResult evaluate(Evaluation e) {
        if (!e.osKnown()) {
            return unknown(e, "OS version not reported; this rule concerns OS 6.1 and 6.2");
        }
        if (e.osBefore61()) {
            return notApplicable(e, () -> "OS " + e.osText + BEFORE_6_1);
        }
        if (!e.os61or62()) {
            return notApplicable(e, () -> "OS " + e.osText + ": WinHTTP supports TLS 1.2 natively from OS 6.3 on; " + KB
                    + " concerns OS 6.1 and 6.2 only");
        }
        if (e.snapshot.hotfixes() == null) {
            return unknown(e, "installed updates (hotfixes) not reported; expected " + expected + " on OS " + e.osText);
        }
        String found = e.installedHotfix(accepted);
        if (found == null) {
            return fail(e, KB + " (TLS 1.1 and 1.2 as WinHTTP default secure protocols) is not installed on OS "
                    + e.osText + "; expected " + expected, FIX);
        }
        if (found.equals(KB)) {
            return pass(e, () -> KB + " is installed on OS " + e.osText);
        }
        return pass(e, () -> found + " is installed on OS " + e.osText + ", configured as superseding " + KB);
    }
}
