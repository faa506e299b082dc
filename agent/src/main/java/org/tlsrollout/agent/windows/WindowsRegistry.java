package org.tlsrollout.agent.windows;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.tlsrollout.agent.registry.Registry;
import org.tlsrollout.agent.registry.RegistryException;

/**
 * The agent's {@link Registry} on Windows, over the registry API in explicit views ({@link RegistryApi.Location}):
 * {@code HKLM\SOFTWARE\Wow6432Node\...} is read and written as {@code HKLM\SOFTWARE\...} in the 32-bit view. Writes
 * and deletes are checked against the allowlist before the API is called.
 */
public final class WindowsRegistry implements Registry {
    private final RegistryApi api;

    public WindowsRegistry(RegistryApi api) {
        this.api = api;
    }

    @Override
    public OptionalLong readDword(String key, String name) {
        RegistryApi.Location at = RegistryApi.Location.of(key);
        Map<String, Object> values = values(key, at);
        if (values == null) {
            return OptionalLong.empty();
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                if (e.getValue() instanceof Integer i) {
                    return OptionalLong.of(Integer.toUnsignedLong(i));
                }
                throw new RegistryException(key + "\\" + name + " is not a REG_DWORD ("
                        + (e.getValue() == null ? "null" : e.getValue().getClass().getSimpleName()) + ")");
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public void writeDword(String key, String name, long value) {
        Registry.checkWritable(key, name, value);
        RegistryApi.Location at = RegistryApi.Location.of(key);
        try {
            api.setDword(at.subKey(), name, (int) value, at.view());
        } catch (RuntimeException e) {
            throw new RegistryException("cannot write " + key + "\\" + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void deleteValue(String key, String name) {
        Registry.checkDeletable(key, name);
        RegistryApi.Location at = RegistryApi.Location.of(key);
        try {
            api.deleteValue(at.subKey(), name, at.view());
        } catch (RuntimeException e) {
            throw new RegistryException("cannot delete " + key + "\\" + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Map<String, Long>> readKey(String key) {
        Map<String, Object> values = values(key, RegistryApi.Location.of(key));
        if (values == null) {
            return Optional.empty();
        }
        Map<String, Long> dwords = new LinkedHashMap<>();
        values.forEach((n, v) -> {
            if (v instanceof Integer i) {
                dwords.put(n, Integer.toUnsignedLong(i));
            }
        });
        return Optional.of(dwords);
    }

    private Map<String, Object> values(String key, RegistryApi.Location at) {
        try {
            return api.values(at.subKey(), at.view());
        } catch (RuntimeException e) {
            throw new RegistryException("cannot read " + key + ": " + e.getMessage(), e);
        }
    }
}
