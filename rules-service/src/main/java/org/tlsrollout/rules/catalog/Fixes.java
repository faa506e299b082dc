package org.tlsrollout.rules.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
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
        return checkedOnce(DWORDS, new Dword(key, name, value), () -> Action.setDword(key, name, value));
    }

    /** An INSTALL_UPDATE action of one of the catalog's updates ({@link org.tlsrollout.contracts.CatalogUpdates}). */
    static Action installUpdate(String kb) {
        return checkedOnce(UPDATES, kb, () -> Action.installUpdate(kb));
    }

    /** The action of {@code key} as the allowlist let it through, checked the first time only (up to MAX_CHECKED). */
    private static <K> Action checkedOnce(ConcurrentHashMap<K, Action> checked, K key, Supplier<Action> action) {
        Action allowed = checked.get(key);
        if (allowed == null) {
            allowed = allowed(action.get());
            if (checked.size() < MAX_CHECKED) {
                checked.put(key, allowed);
            }
        }
        return allowed;
    }

    /*
     * The actions the allowlist permits, each checked once: the rules build the same few (their keys, names and pinned
     * values are the catalog's own), and the check lower-cases and concatenates strings on every call (C1 makes that
     * a visible share of an evaluation). Actions are immutable, so one instance serves every evaluation.
     */
    private static final int MAX_CHECKED = 1024;
    private static final ConcurrentHashMap<Dword, Action> DWORDS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, Action> UPDATES = new ConcurrentHashMap<>();

    /** (key, name, value), compared field by field (a record's equals goes through method handles, slow with C1). */
    private static final class Dword {
        private final String key;
        private final String name;
        private final long value;
        private final int hash;

        Dword(String key, String name, long value) {
            this.key = key;
            this.name = name;
            this.value = value;
            this.hash = (31 * Objects.hashCode(key) + Objects.hashCode(name)) * 31 + Long.hashCode(value);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Dword d && d.hash == hash && d.value == value && Objects.equals(d.key, key)
                    && Objects.equals(d.name, name);
        }
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
