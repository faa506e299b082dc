package org.tlsrollout.agent.windows;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** A registry API in memory, per view, case-insensitive keys and names, typed values as Advapi32Util returns them. */
final class MapRegistryApi implements RegistryApi {
    final Map<View, Map<String, Map<String, Object>>> keys = new EnumMap<>(View.class);

    MapRegistryApi put(View view, String subKey, String name, Object value) {
        key(view, subKey).put(name, value);
        return this;
    }

    MapRegistryApi key(View view, String subKey, String... names) {
        key(view, subKey);
        return this;
    }

    private Map<String, Object> key(View view, String subKey) {
        return keys.computeIfAbsent(view, v -> new TreeMap<>()).computeIfAbsent(subKey.toLowerCase(Locale.ROOT),
                k -> new TreeMap<>(String.CASE_INSENSITIVE_ORDER));
    }

    @Override
    public boolean keyExists(String subKey, View view) {
        return keys.getOrDefault(view, Map.of()).containsKey(subKey.toLowerCase(Locale.ROOT));
    }

    @Override
    public Map<String, Object> values(String subKey, View view) {
        Map<String, Object> v = keys.getOrDefault(view, Map.of()).get(subKey.toLowerCase(Locale.ROOT));
        return v == null ? null : new TreeMap<>(v);
    }

    @Override
    public List<String> subKeys(String subKey, View view) {
        return new ArrayList<>();
    }

    @Override
    public void setDword(String subKey, String name, int value, View view) {
        put(view, subKey, name, value);
    }

    @Override
    public void deleteValue(String subKey, String name, View view) {
        Map<String, Object> v = keys.getOrDefault(view, Map.of()).get(subKey.toLowerCase(Locale.ROOT));
        if (v != null) {
            v.remove(name);
        }
    }
}
