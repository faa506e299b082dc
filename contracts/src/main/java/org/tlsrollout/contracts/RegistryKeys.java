package org.tlsrollout.contracts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The registry keys of rules.md ("Registry paths") and the agent allowlist built from them: agents report only
 * these keys and write only the values the rules name, never FIPS.
 */
public final class RegistryKeys {
    public static final String NET4 = "HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319";
    public static final String NET2 = "HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v2.0.50727";
    public static final String NET4_WOW = "HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v4.0.30319";
    public static final String NET2_WOW = "HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v2.0.50727";
    public static final String WINHTTP = "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\WinHttp";
    public static final String WINHTTP_WOW =
            "HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\WinHttp";
    public static final String FIPS = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa\\FipsAlgorithmPolicy";
    private static final String SCHANNEL_PROTOCOLS =
            "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\";

    public static final String SCH_SSL2 = "SSL 2.0";
    public static final String SCH_SSL3 = "SSL 3.0";
    public static final String SCH_TLS10 = "TLS 1.0";
    public static final String SCH_TLS11 = "TLS 1.1";
    public static final String SCH_TLS12 = "TLS 1.2";
    public static final String CLIENT = "Client";
    public static final String SERVER = "Server";
    /** The protocols that the DISABLE_LEGACY phase turns off. */
    public static final List<String> LEGACY_PROTOCOLS = List.of(SCH_SSL3, SCH_TLS10, SCH_TLS11);

    public static final String SCH_USE_STRONG_CRYPTO = "SchUseStrongCrypto";
    public static final String SYSTEM_DEFAULT_TLS_VERSIONS = "SystemDefaultTlsVersions";
    public static final String DEFAULT_SECURE_PROTOCOLS = "DefaultSecureProtocols";
    public static final String ENABLED = "Enabled";
    public static final String DISABLED_BY_DEFAULT = "DisabledByDefault";

    /** Keys the agent may report (rules.md: "These keys are the agent allowlist"). */
    public static final Set<String> REPORTED_KEYS;
    /** {@code key|name} pairs, lower-cased, that a job may write. */
    private static final Set<String> WRITABLE;

    static {
        List<String> reported = new ArrayList<>(List.of(NET4, NET2, NET4_WOW, NET2_WOW, WINHTTP, WINHTTP_WOW, FIPS));
        for (String p : List.of(SCH_SSL2, SCH_SSL3, SCH_TLS10, SCH_TLS11, SCH_TLS12)) {
            reported.add(schannel(p, CLIENT));
            reported.add(schannel(p, SERVER));
        }
        REPORTED_KEYS = Collections.unmodifiableSet(new TreeSet<>(String.CASE_INSENSITIVE_ORDER) {
            {
                addAll(reported);
            }
        });
        Set<String> writable = new TreeSet<>();
        for (String k : List.of(NET4, NET2, NET4_WOW, NET2_WOW)) {
            writable.add(pair(k, SCH_USE_STRONG_CRYPTO));
            writable.add(pair(k, SYSTEM_DEFAULT_TLS_VERSIONS));
        }
        writable.add(pair(WINHTTP, DEFAULT_SECURE_PROTOCOLS));
        writable.add(pair(WINHTTP_WOW, DEFAULT_SECURE_PROTOCOLS));
        for (String p : List.of(SCH_SSL3, SCH_TLS10, SCH_TLS11, SCH_TLS12)) {
            for (String s : List.of(CLIENT, SERVER)) {
                writable.add(pair(schannel(p, s), ENABLED));
                writable.add(pair(schannel(p, s), DISABLED_BY_DEFAULT));
            }
        }
        WRITABLE = Collections.unmodifiableSet(writable);
    }

    private RegistryKeys() {
    }

    /** SCH(P, S) of rules.md. */
    public static String schannel(String protocol, String side) {
        return SCHANNEL_PROTOCOLS + protocol + "\\" + side;
    }

    /** True when a job may write this value (case-insensitive, as the registry is). FIPS never is. */
    public static boolean isWritable(String key, String name) {
        return key != null && name != null && WRITABLE.contains(pair(key, name));
    }

    public static boolean isReported(String key) {
        return key != null && REPORTED_KEYS.contains(key);
    }

    private static String pair(String key, String name) {
        return (key + "|" + name).toLowerCase(Locale.ROOT);
    }
}
