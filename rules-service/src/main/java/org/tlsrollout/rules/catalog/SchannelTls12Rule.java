package org.tlsrollout.rules.catalog;

import static org.tlsrollout.contracts.RegistryKeys.DISABLED_BY_DEFAULT;
import static org.tlsrollout.contracts.RegistryKeys.ENABLED;

import java.util.List;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;

/**
 * {@code SCHANNEL_TLS12_CLIENT} (all machines) and {@code SCHANNEL_TLS12_SERVER} (site systems): TLS 1.2 is on
 * in SCH({@code TLS 1.2}, side).
 *
 * <p>From OS 6.2 on an absent value keeps the OS default, which is on (001: "TLS 1.2 is enabled by default");
 * {@code Enabled} must not be 0 and {@code DisabledByDefault} must be 0 where they exist. On OS 6.1 SChannel
 * ships TLS 1.2 off (rules.md departs from 001 here, citing the KB3135244 FAQ and "Protocols in TLS/SSL
 * (Schannel SSP)"), so both values must be present: {@code Enabled} not 0 and {@code DisabledByDefault} 0.
 * Earlier versions than 6.1 are held to the 6.1 requirement (their default is off too).
 */
final class SchannelTls12Rule extends CatalogRule {
    static final String RESTART_REASON = "SChannel protocol settings take effect after a restart";
    /** Windows 8 / Server 2012: from here on TLS 1.2 is on by default. */
    private static final Version OS_6_2 = Version.of(6, 2);

    private final String side;
    private final String key;
    private final int slot;
    private final boolean siteSystemsOnly;
    private final List<Action> fix;

    private SchannelTls12Rule(RuleId id, String side, boolean siteSystemsOnly) {
        super(id, "001, 004");
        this.side = side;
        this.key = RegistryKeys.schannel(RegistryKeys.SCH_TLS12, side);
        this.slot = RegistryView.slot(key);
        this.siteSystemsOnly = siteSystemsOnly;
        this.fix = Fixes.thenRestart(List.of(Fixes.set(key, ENABLED, 1), Fixes.set(key, DISABLED_BY_DEFAULT, 0)),
                RESTART_REASON);
    }

    static SchannelTls12Rule client() {
        return new SchannelTls12Rule(RuleId.SCHANNEL_TLS12_CLIENT, RegistryKeys.CLIENT, false);
    }

    static SchannelTls12Rule server() {
        return new SchannelTls12Rule(RuleId.SCHANNEL_TLS12_SERVER, RegistryKeys.SERVER, true);
    }

    @Override
    RuleResult evaluate(Evaluation e) {
        if (siteSystemsOnly && !e.isSiteSystem()) {
            return notApplicable(e, () -> "a client: the TLS 1.2 " + side
                    + " side of SChannel concerns site systems only");
        }
        if (!e.osKnown()) {
            return unknown(e, "OS version not reported: the default of TLS 1.2 in SChannel depends on it");
        }
        if (e.registry == null) {
            return unknown(e, "registry section not reported; expected TLS 1.2 on in " + key);
        }
        Long enabled = e.registry.value(slot, ENABLED);
        Long disabledByDefault = e.registry.value(slot, DISABLED_BY_DEFAULT);
        boolean onByDefault = e.os.isAtLeast(OS_6_2);
        boolean enabledOk = enabled == null ? onByDefault : enabled != 0;
        boolean defaultOk = disabledByDefault == null ? onByDefault : disabledByDefault == 0;
        String found = key + ": " + ENABLED + " " + show(enabled) + ", " + DISABLED_BY_DEFAULT + " "
                + show(disabledByDefault);
        if (enabledOk && defaultOk) {
            return pass(e, () -> found + (onByDefault ? " (absent keeps the default of OS " + e.osText + ": on)" : "")
                    + "; TLS 1.2 is on");
        }
        String expected = onByDefault
                ? "; expected " + ENABLED + " absent or not 0 and " + DISABLED_BY_DEFAULT + " absent or 0"
                : "; expected on OS " + e.osText + ", where TLS 1.2 is off by default, " + ENABLED
                        + " present and not 0 and " + DISABLED_BY_DEFAULT + " present and 0";
        return fail(e, found + expected, fix);
    }

    private static String show(Long value) {
        return value == null ? "absent" : "= " + value;
    }
}
