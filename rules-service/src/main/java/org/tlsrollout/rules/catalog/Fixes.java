package org.tlsrollout.rules.catalog;

import java.util.ArrayList;
import java.util.List;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.ActionPolicy;

/**
 * Builds remediation actions, only ones the agent allowlist permits, values included (rules.md, "Registry paths":
 * remediation-service never signs, nor the agent applies, anything else).
 */
final class Fixes {
    static final String DOTNET_FRAMEWORK = "dotnet-framework";
    static final String DOTNET_48 = "4.8";
    static final String SMS_EXECUTIVE = "SMS_EXECUTIVE";

    private Fixes() {
    }

    /**
     * A SET_REGISTRY_DWORD action.
     *
     * @throws IllegalStateException if the allowlist does not permit writing this value: a catalog bug, never
     *                               something to send to an agent
     */
    static Action set(String key, String name, long value) {
        return allowed(Action.setDword(key, name, value));
    }

    /** An INSTALL_UPDATE action of one of the catalog's updates ({@link org.tlsrollout.contracts.CatalogUpdates}). */
    static Action installUpdate(String kb) {
        return allowed(Action.installUpdate(kb));
    }

    private static Action allowed(Action action) {
        ActionPolicy.refusal(action).ifPresent(why -> {
            throw new IllegalStateException("the agent allowlist refuses " + action + ": " + why);
        });
        return action;
    }

    /** These actions followed by a RESTART with this reason, as one immutable list. */
    static List<Action> thenRestart(List<Action> actions, String reason) {
        List<Action> all = new ArrayList<>(actions.size() + 1);
        all.addAll(actions);
        all.add(Action.restart(reason));
        return List.copyOf(all);
    }

    /** A DWORD as the seeds write it: {@code 0xAA0}, {@code 0x0A0}. */
    static String hex(long value) {
        String digits = Long.toHexString(value).toUpperCase(java.util.Locale.ROOT);
        return digits.length() < 3 ? "0x" + "000".substring(digits.length()) + digits : "0x" + digits;
    }
}
