package org.tlsrollout.rules.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tlsrollout.contracts.RegistryKeys;

/**
 * The snapshot's {@code registry} section, read as {@link org.tlsrollout.contracts.MachineSnapshot#registryValue}
 * reads it (key paths and value names case-insensitive, an exactly spelled key preferred), but indexed once per
 * evaluation so that the rules' lookups cost a hash probe instead of a stream over the section.
 */
final class RegistryView {
    /** Every key a rule reads: the allowlist of rules.md. */
    private static final String[] KEYS;
    private static final Map<String, Integer> SLOT_EXACT = new HashMap<>();
    private static final Map<String, Integer> SLOT_LOWER = new HashMap<>();
    /** Lengths of the known keys, to skip the lower-casing of keys that cannot match. */
    private static final boolean[] KNOWN_LENGTH;

    static {
        List<String> keys = new ArrayList<>(RegistryKeys.REPORTED_KEYS);
        KEYS = keys.toArray(new String[0]);
        int maxLength = 0;
        for (int i = 0; i < KEYS.length; i++) {
            SLOT_EXACT.put(KEYS[i], i);
            SLOT_LOWER.put(KEYS[i].toLowerCase(Locale.ROOT), i);
            maxLength = Math.max(maxLength, KEYS[i].length());
        }
        KNOWN_LENGTH = new boolean[maxLength + 1];
        for (String k : KEYS) {
            KNOWN_LENGTH[k.length()] = true;
        }
    }

    private final Map<String, Long>[] values;

    @SuppressWarnings("unchecked")
    RegistryView(Map<String, Map<String, Long>> registry) {
        values = new Map[KEYS.length];
        int exact = 0;
        for (int i = 0; i < KEYS.length; i++) {
            Map<String, Long> v = registry.get(KEYS[i]);
            if (v != null) {
                values[i] = v;
                exact++;
            }
        }
        if (exact < registry.size()) {
            // Some key is spelled differently (Wow6432Node / WOW6432Node) or is not one the rules read.
            for (Map.Entry<String, Map<String, Long>> e : registry.entrySet()) {
                String k = e.getKey();
                if (k == null || e.getValue() == null || k.length() >= KNOWN_LENGTH.length
                        || !KNOWN_LENGTH[k.length()] || SLOT_EXACT.containsKey(k)) {
                    continue;
                }
                Integer slot = SLOT_LOWER.get(k.toLowerCase(Locale.ROOT));
                if (slot != null && values[slot] == null) {
                    values[slot] = e.getValue();
                }
            }
        }
    }

    /**
     * The slot of a key of {@link RegistryKeys}, resolved once by a rule's constructor.
     *
     * @throws IllegalArgumentException for a key outside the allowlist
     */
    static int slot(String key) {
        Integer slot = SLOT_EXACT.get(key);
        if (slot == null) {
            slot = SLOT_LOWER.get(key.toLowerCase(Locale.ROOT));
        }
        if (slot == null) {
            throw new IllegalArgumentException("not a key of the allowlist: " + key);
        }
        return slot;
    }

    /** The DWORD, or null when the key or the value does not exist on the machine. */
    Long value(int slot, String name) {
        Map<String, Long> key = values[slot];
        if (key == null) {
            return null;
        }
        Long v = key.get(name);
        if (v != null) {
            return v;
        }
        for (Map.Entry<String, Long> e : key.entrySet()) {
            if (e.getValue() != null && name.equalsIgnoreCase(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }
}
