package org.tlsrollout.agent.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.tlsrollout.contracts.RegistryKeys;

/**
 * A registry in memory, case-insensitive in keys and value names as Windows is, for the simulator and the
 * tests. Compact: the values the TLS rules are about (every key of {@link RegistryKeys#REPORTED_KEYS} with the
 * names the rules read) live in one {@code int[]} with a presence bit mask, about 170 bytes a machine; any
 * other value goes to a map created on first use. Thread-safe.
 */
public final class InMemoryRegistry implements Registry {
    private static final String[] SLOT_KEY;
    private static final String[] SLOT_NAME;
    /** lower-cased key path, then lower-cased name, to slot. */
    private static final Map<String, Map<String, Integer>> SLOTS = new HashMap<>();
    /** lower-cased key path to the slots of that key, in order. */
    private static final Map<String, int[]> KEY_SLOTS = new HashMap<>();

    static {
        List<String[]> slots = new ArrayList<>();
        for (String key : RegistryKeys.REPORTED_KEYS) {
            for (String name : namesOf(key)) {
                slots.add(new String[] {key, name});
            }
        }
        if (slots.size() > 64) {
            throw new IllegalStateException("more than 64 known registry values");
        }
        SLOT_KEY = new String[slots.size()];
        SLOT_NAME = new String[slots.size()];
        Map<String, List<Integer>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < slots.size(); i++) {
            SLOT_KEY[i] = slots.get(i)[0];
            SLOT_NAME[i] = slots.get(i)[1];
            String k = lower(SLOT_KEY[i]);
            SLOTS.computeIfAbsent(k, x -> new HashMap<>()).put(lower(SLOT_NAME[i]), i);
            byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(i);
        }
        byKey.forEach((k, list) -> KEY_SLOTS.put(k, list.stream().mapToInt(Integer::intValue).toArray()));
    }

    private static List<String> namesOf(String key) {
        String k = lower(key);
        if (k.contains("\\.netframework\\")) {
            return List.of(RegistryKeys.SCH_USE_STRONG_CRYPTO, RegistryKeys.SYSTEM_DEFAULT_TLS_VERSIONS);
        }
        if (k.endsWith("\\winhttp")) {
            return List.of(RegistryKeys.DEFAULT_SECURE_PROTOCOLS);
        }
        if (k.equals(lower(RegistryKeys.FIPS))) {
            return List.of(RegistryKeys.ENABLED);
        }
        return List.of(RegistryKeys.ENABLED, RegistryKeys.DISABLED_BY_DEFAULT);
    }

    private long present;
    private int[] values;
    /** Values outside the known slots; null until one is written. */
    private TreeMap<String, TreeMap<String, Long>> other;

    /**
     * Sets a value as the machine's own state, without the allowlist: for the simulator's estate and for
     * tests. The agent writes through {@link #writeDword}.
     */
    public synchronized InMemoryRegistry put(String key, String name, long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(value + " is not a DWORD");
        }
        int slot = slot(key, name);
        if (slot >= 0) {
            if (values == null) {
                values = new int[SLOT_KEY.length];
            }
            values[slot] = (int) value;
            present |= 1L << slot;
        } else {
            if (other == null) {
                other = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            }
            other.computeIfAbsent(key, k -> new TreeMap<>(String.CASE_INSENSITIVE_ORDER)).put(name, value);
        }
        return this;
    }

    /** Deletes a value (the machine's own state, for tests and the simulator). */
    public synchronized InMemoryRegistry remove(String key, String name) {
        int slot = slot(key, name);
        if (slot >= 0) {
            present &= ~(1L << slot);
        } else if (other != null && other.containsKey(key)) {
            other.get(key).remove(name);
            if (other.get(key).isEmpty()) {
                other.remove(key);
            }
        }
        return this;
    }

    @Override
    public synchronized OptionalLong readDword(String key, String name) {
        int slot = slot(key, name);
        if (slot >= 0) {
            return (present & (1L << slot)) != 0
                    ? OptionalLong.of(Integer.toUnsignedLong(values[slot])) : OptionalLong.empty();
        }
        if (other != null && other.containsKey(key)) {
            Long v = other.get(key).get(name);
            return v == null ? OptionalLong.empty() : OptionalLong.of(v);
        }
        return OptionalLong.empty();
    }

    /** The value as a long, or {@code absent} when it does not exist. Allocation-free, for the simulator. */
    public synchronized long dword(String key, String name, long absent) {
        int slot = slot(key, name);
        if (slot >= 0) {
            return (present & (1L << slot)) != 0 ? Integer.toUnsignedLong(values[slot]) : absent;
        }
        OptionalLong v = readDword(key, name);
        return v.isPresent() ? v.getAsLong() : absent;
    }

    @Override
    public void writeDword(String key, String name, long value) {
        Registry.checkWritable(key, name, value);
        put(key, name, value);
    }

    @Override
    public void deleteValue(String key, String name) {
        Registry.checkDeletable(key, name);
        remove(key, name);
    }

    @Override
    public synchronized Optional<Map<String, Long>> readKey(String key) {
        Map<String, Long> result = new LinkedHashMap<>();
        int[] slots = KEY_SLOTS.get(lower(key));
        if (slots != null) {
            for (int slot : slots) {
                if ((present & (1L << slot)) != 0) {
                    result.put(SLOT_NAME[slot], Integer.toUnsignedLong(values[slot]));
                }
            }
        }
        if (other != null && other.containsKey(key)) {
            result.putAll(other.get(key));
        }
        return result.isEmpty() ? Optional.empty() : Optional.of(result);
    }

    /** Every value, keyed by {@code key\name} lower-cased: to compare two states in tests. */
    public synchronized Map<String, Long> asMap() {
        Map<String, Long> all = new TreeMap<>();
        for (int slot = 0; slot < SLOT_KEY.length; slot++) {
            if ((present & (1L << slot)) != 0) {
                all.put(lower(SLOT_KEY[slot] + "\\" + SLOT_NAME[slot]), Integer.toUnsignedLong(values[slot]));
            }
        }
        if (other != null) {
            other.forEach((k, names) -> names.forEach((n, v) -> all.put(lower(k + "\\" + n), v)));
        }
        return all;
    }

    private static int slot(String key, String name) {
        Map<String, Integer> names = SLOTS.get(lower(key));
        if (names == null) {
            return -1;
        }
        Integer slot = names.get(lower(name));
        return slot == null ? -1 : slot;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
