package org.tlsrollout.agent.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.tlsrollout.contracts.RegistryKeys;

/**
 * The agent's only access to the Windows registry: read a DWORD value, write a DWORD value, read the keys the
 * agent reports. Key paths are {@code HKLM\...} as in {@link RegistryKeys}; keys and value names are
 * case-insensitive, as in Windows. Every implementation refuses to write what {@link RegistryKeys#isWritable}
 * refuses, whatever the caller checked before (defence in depth).
 */
public interface Registry {

    /**
     * The DWORD value, empty when the key or the value does not exist.
     *
     * @throws RegistryException when the value exists but is not a REG_DWORD, or the registry cannot be read
     */
    OptionalLong readDword(String key, String name);

    /**
     * Writes a REG_DWORD value, creating the key when it does not exist.
     *
     * @throws RegistryWriteRefusedException when the value is outside the agent allowlist or not a DWORD
     * @throws RegistryException when the write fails
     */
    void writeDword(String key, String name, long value);

    /**
     * Deletes a value (an undo restoring "absent"); nothing when it does not exist. Only a value of the allowlist.
     *
     * @throws RegistryWriteRefusedException when the value is outside the agent allowlist
     * @throws RegistryException when the delete fails
     */
    void deleteValue(String key, String name);

    /**
     * The REG_DWORD values of one key by value name (values of other types are left out); empty when the key
     * does not exist.
     */
    Optional<Map<String, Long>> readKey(String key);

    /**
     * The values of {@link RegistryKeys#REPORTED_KEYS} that exist, keyed by the canonical key path; the
     * {@code Wow6432Node} keys only on x64 (rules.md: "The -WOW keys apply only when os.architecture is x64").
     */
    default Map<String, Map<String, Long>> readReportedKeys(boolean x64) {
        Map<String, Map<String, Long>> reported = new LinkedHashMap<>();
        for (String key : RegistryKeys.REPORTED_KEYS) {
            if (!x64 && isWow(key)) {
                continue;
            }
            readKey(key).ifPresent(values -> reported.put(key, values));
        }
        return reported;
    }

    /** True for keys under {@code HKLM\SOFTWARE\Wow6432Node}, the 32-bit view of a 64-bit machine. */
    static boolean isWow(String key) {
        return key.toLowerCase(Locale.ROOT).contains("\\wow6432node\\");
    }

    /** The check every {@link #deleteValue} makes before it touches anything. */
    static void checkDeletable(String key, String name) {
        if (!RegistryKeys.isWritable(key, name)) {
            throw new RegistryWriteRefusedException(key + "\\" + name + " is outside the agent allowlist");
        }
    }

    /** The check every {@link #writeDword} makes before it touches anything. */
    static void checkWritable(String key, String name, long value) {
        if (!RegistryKeys.isWritable(key, name)) {
            throw new RegistryWriteRefusedException(key + "\\" + name + " is outside the agent allowlist");
        }
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new RegistryWriteRefusedException(value + " is not a DWORD (" + key + "\\" + name + ")");
        }
    }
}
