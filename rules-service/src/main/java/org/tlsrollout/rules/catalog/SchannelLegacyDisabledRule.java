package org.tlsrollout.rules.catalog;

import static org.tlsrollout.contracts.RegistryKeys.DISABLED_BY_DEFAULT;
import static org.tlsrollout.contracts.RegistryKeys.ENABLED;

import java.util.ArrayList;
import java.util.List;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;

/**
 * {@code SCHANNEL_LEGACY_DISABLED} (site systems; clients too when the estate opts in): for each P in SSL 3.0,
 * TLS 1.0, TLS 1.1 and each S in Client, Server, SCH(P, S) has {@code Enabled}=0 and {@code DisabledByDefault}=1.
 * 001: "You can make changes under Protocols to disable TLS 1.0 and TLS 1.1 after you have followed the rest of
 * the guidance"; 002: "If you want to completely disable SSL 3.0 and TLS 1.0, use the SChannel disabled
 * protocols setting". Each failing key gets both values, then the machine restarts.
 */
final class SchannelLegacyDisabledRule extends CatalogRule {
    static final String RESTART_REASON = SchannelTls12Rule.RESTART_REASON;
    private static final String[] SIDES = {RegistryKeys.CLIENT, RegistryKeys.SERVER};

    private final boolean includeClients;
    private final String[] keys;
    private final int[] slots;
    private final Action[][] fixes;

    SchannelLegacyDisabledRule(CatalogOptions options) {
        super(RuleId.SCHANNEL_LEGACY_DISABLED, "001, 002");
        includeClients = options.includeClientsInDisableLegacy();
        int n = RegistryKeys.LEGACY_PROTOCOLS.size() * SIDES.length;
        keys = new String[n];
        slots = new int[n];
        fixes = new Action[n][];
        int i = 0;
        for (String protocol : RegistryKeys.LEGACY_PROTOCOLS) {
            for (String side : SIDES) {
                keys[i] = RegistryKeys.schannel(protocol, side);
                slots[i] = RegistryView.slot(keys[i]);
                fixes[i] = new Action[] {Fixes.set(keys[i], ENABLED, 0), Fixes.set(keys[i], DISABLED_BY_DEFAULT, 1)};
                i++;
            }
        }
    }

    @Override
    RuleResult evaluate(Evaluation e) {
        if (!e.isSiteSystem() && !includeClients) {
            return notApplicable(e, () -> "a client: legacy protocols are disabled on site systems only "
                    + "(rules.disable-legacy.include-clients is false)");
        }
        if (e.registry == null) {
            return unknown(e, "registry section not reported; expected SSL 3.0, TLS 1.0 and TLS 1.1 disabled in "
                    + "SChannel");
        }
        StringBuilder wrong = null;
        List<Action> actions = null;
        for (int i = 0; i < keys.length; i++) {
            Long enabled = e.registry.value(slots[i], ENABLED);
            Long disabledByDefault = e.registry.value(slots[i], DISABLED_BY_DEFAULT);
            if (enabled != null && enabled == 0 && disabledByDefault != null && disabledByDefault == 1) {
                continue;
            }
            if (wrong == null) {
                wrong = new StringBuilder(512);
                actions = new ArrayList<>(2 * keys.length + 1);
            } else {
                wrong.append("; ");
            }
            wrong.append(keys[i]).append(": ").append(ENABLED).append(show(enabled)).append(", ")
                    .append(DISABLED_BY_DEFAULT).append(show(disabledByDefault));
            actions.add(fixes[i][0]);
            actions.add(fixes[i][1]);
        }
        if (wrong == null) {
            return pass(e, () -> "SSL 3.0, TLS 1.0 and TLS 1.1 are disabled on both sides of SChannel (" + ENABLED
                    + "=0, " + DISABLED_BY_DEFAULT + "=1)");
        }
        wrong.append("; expected ").append(ENABLED).append("=0 and ").append(DISABLED_BY_DEFAULT)
                .append("=1 for SSL 3.0, TLS 1.0 and TLS 1.1, Client and Server");
        return fail(e, wrong.toString(), Fixes.thenRestart(actions, RESTART_REASON));
    }

    private static String show(Long value) {
        return value == null ? " absent" : "=" + value;
    }
}
