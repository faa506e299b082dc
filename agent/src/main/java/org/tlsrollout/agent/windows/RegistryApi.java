package org.tlsrollout.agent.windows;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Windows registry API the agent uses, under {@code HKEY_LOCAL_MACHINE}, always in an explicit view: the native
 * 64-bit one ({@code KEY_WOW64_64KEY}) or the 32-bit one ({@code KEY_WOW64_32KEY}), so that a 32-bit JVM is never
 * redirected. Values come typed from the API (REG_DWORD an {@code Integer}, REG_SZ a {@code String}, REG_MULTI_SZ a
 * {@code String[]}): no text of a localized tool is parsed. {@link JnaRegistryApi} calls Advapi32; tests use a map.
 */
public interface RegistryApi {

    /** Which view of HKLM\SOFTWARE a call reads or writes. */
    enum View { KEY64, KEY32 }

    boolean keyExists(String subKey, View view);

    /** The values of a key by name, typed; null when the key does not exist. */
    Map<String, Object> values(String subKey, View view);

    /** The names of a key's subkeys; empty when the key does not exist. */
    List<String> subKeys(String subKey, View view);

    /** Writes a REG_DWORD, creating the key when needed. */
    void setDword(String subKey, String name, int value, View view);

    /** Deletes a value; nothing when the key or the value does not exist. */
    void deleteValue(String subKey, String name, View view);

    /** A path of the contract ({@code HKLM\...}, possibly under {@code Wow6432Node}) as a subkey and its view. */
    record Location(String subKey, View view) {
        private static final String HKLM = "HKLM\\";
        private static final String WOW = "SOFTWARE\\Wow6432Node\\";

        public static Location of(String key) {
            String k = key;
            if (k.regionMatches(true, 0, HKLM, 0, HKLM.length())) {
                k = k.substring(HKLM.length());
            } else if (k.regionMatches(true, 0, "HKEY_LOCAL_MACHINE\\", 0, 19)) {
                k = k.substring(19);
            } else {
                throw new IllegalArgumentException("not a key under HKLM: " + key);
            }
            while (k.endsWith("\\")) {
                k = k.substring(0, k.length() - 1);
            }
            if (k.toLowerCase(Locale.ROOT).startsWith(WOW.toLowerCase(Locale.ROOT))) {
                // the 32-bit view names the key without Wow6432Node
                return new Location("SOFTWARE\\" + k.substring(WOW.length()), View.KEY32);
            }
            return new Location(k, View.KEY64);
        }
    }
}
