package org.tlsrollout.rules.catalog;

import java.util.ArrayList;
import java.util.List;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;

/**
 * {@code DOTNET_STRONG_CRYPTO} ({@code SchUseStrongCrypto}) and {@code DOTNET_SYSTEM_DEFAULT_TLS}
 * ({@code SystemDefaultTlsVersions}), on all machines: the value is 1 in NET4 and NET2, and in NET4-WOW and
 * NET2-WOW on x64 (000: "For 32-bit applications that are running on 64-bit OSs, update the following subkey
 * values"). Each failing value is set to 1, then the machine restarts (000: "This value disables the RC4
 * stream cipher and requires a restart").
 */
final class DotNetRegistryRule extends CatalogRule {
    static final String RESTART_REASON = ".NET Framework registry settings take effect after a restart";
    /** rules.md's order: NET4 and NET2, then NET4-WOW and NET2-WOW on x64. */
    private static final String[] KEYS = {RegistryKeys.NET4, RegistryKeys.NET2, RegistryKeys.NET4_WOW,
        RegistryKeys.NET2_WOW};
    private static final int NATIVE_KEYS = 2;
    private static final int[] SLOTS = new int[KEYS.length];

    static {
        for (int i = 0; i < KEYS.length; i++) {
            SLOTS[i] = RegistryView.slot(KEYS[i]);
        }
    }

    private final String name;
    private final Action[] fixes = new Action[KEYS.length];

    private DotNetRegistryRule(RuleId id, String name) {
        super(id, "000, 001, 003");
        this.name = name;
        for (int i = 0; i < KEYS.length; i++) {
            fixes[i] = Fixes.set(KEYS[i], name, 1);
        }
    }

    static DotNetRegistryRule strongCrypto() {
        return new DotNetRegistryRule(RuleId.DOTNET_STRONG_CRYPTO, RegistryKeys.SCH_USE_STRONG_CRYPTO);
    }

    static DotNetRegistryRule systemDefaultTls() {
        return new DotNetRegistryRule(RuleId.DOTNET_SYSTEM_DEFAULT_TLS, RegistryKeys.SYSTEM_DEFAULT_TLS_VERSIONS);
    }

    @Override
    RuleResult evaluate(Evaluation e) {
        if (!e.architectureKnown()) {
            return unknown(e, "OS architecture not reported: cannot tell whether the Wow6432Node keys apply");
        }
        if (e.registry == null) {
            return unknown(e, "registry section not reported; expected " + name + " = 1 in " + RegistryKeys.NET4
                    + " and " + RegistryKeys.NET2 + (e.x64 ? " and their Wow6432Node keys" : ""));
        }
        int count = e.x64 ? KEYS.length : NATIVE_KEYS;
        StringBuilder wrong = null;
        List<Action> actions = null;
        for (int i = 0; i < count; i++) {
            Long value = e.registry.value(SLOTS[i], name);
            if (value != null && value == 1) {
                continue;
            }
            if (wrong == null) {
                wrong = new StringBuilder(320);
                actions = new ArrayList<>(count + 1);
            } else {
                wrong.append("; ");
            }
            wrong.append(KEYS[i]).append(' ').append(name).append(value == null ? " is absent" : " = " + value);
            actions.add(fixes[i]);
        }
        if (wrong == null) {
            return pass(e, () -> name + " = 1 in " + count + " keys: NET4, NET2" + (e.x64 ? ", NET4-WOW, NET2-WOW" : "")
                    + (e.x64 ? "" : " (x86: no Wow6432Node keys)"));
        }
        wrong.append("; expected ").append(name).append(" = 1 in each");
        return fail(e, wrong.toString(), Fixes.thenRestart(actions, RESTART_REASON));
    }
}
