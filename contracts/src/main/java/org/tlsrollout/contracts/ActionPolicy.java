package org.tlsrollout.contracts;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The agent allowlist of rules.md applied to a job's actions, values included: registry writes only to the values
 * the rules name (never FIPS) and only the values that move towards TLS 1.2 (TLS 1.2 on, legacy protocols off,
 * strong crypto on, DefaultSecureProtocols with TLS 1.2 and nothing outside 0x2AA0), RESTART_SERVICE only for
 * SMS_EXECUTIVE, installs only of the catalog's updates (or the estate's later rollups) and products. The agent
 * refuses a job with any action this refuses, whatever its signature; remediation-service refuses to sign one.
 */
public final class ActionPolicy {
    public static final Set<String> SERVICES = Set.of("SMS_EXECUTIVE");
    public static final Set<String> PRODUCTS = Set.of("dotnet-framework", "sql-server-express", "sql-native-client");
    /** DefaultSecureProtocols: the TLS 1.2 bit that must be set, and every bit that may be (TLS 1.0-1.3). */
    public static final long WINHTTP_TLS12 = 0x800;
    public static final long WINHTTP_ALLOWED_BITS = 0x2AA0;
    private static final Pattern KB = Pattern.compile("^KB[0-9]{6,8}$");
    private static final Pattern VERSION = Pattern.compile("^[0-9]+(\\.[0-9]+){0,3}$");
    private static final Pattern JOB_ID = Pattern.compile("^[0-9A-Za-z][0-9A-Za-z._:-]{0,127}$");

    private ActionPolicy() {
    }

    /** Empty when the action is allowed with the catalog's updates only, else why not. */
    public static Optional<String> refusal(Action a) {
        return refusal(a, Set.of());
    }

    /**
     * Empty when the action is allowed, else why not. {@code laterRollups} are the KBs the estate configures as
     * later rollups (rules.md: "or a KB the estate configures as a later rollup"), upper case.
     */
    public static Optional<String> refusal(Action a, Set<String> laterRollups) {
        if (a == null || a.type() == null) {
            return Optional.of("an action without a type");
        }
        return switch (a.type()) {
            case SET_REGISTRY_DWORD -> registryRefusal(a);
            case INSTALL_UPDATE -> {
                if (a.kb() == null || !KB.matcher(a.kb()).matches()) {
                    yield Optional.of("not a KB number: " + a.kb());
                }
                yield CatalogUpdates.ALL.contains(a.kb()) || laterRollups.contains(a.kb())
                        ? Optional.empty() : Optional.of(a.kb() + " is not an update of the catalog or a configured later rollup");
            }
            case INSTALL_SOFTWARE -> a.product() != null && PRODUCTS.contains(a.product())
                    && a.minimumVersion() != null && VERSION.matcher(a.minimumVersion()).matches()
                    ? Optional.empty() : Optional.of("installing " + a.product() + " " + a.minimumVersion() + " is outside the allowlist");
            case RESTART_SERVICE -> a.service() != null && SERVICES.contains(a.service())
                    ? Optional.empty() : Optional.of("restarting the service " + a.service() + " is outside the allowlist");
            case UNDO_JOB -> a.jobId() != null && JOB_ID.matcher(a.jobId()).matches()
                    ? Optional.empty() : Optional.of("UNDO_JOB needs the id of a job: " + a.jobId());
            case RUN_PROBES, RESTART -> Optional.empty();
        };
    }

    /** rules.md, "The allowlist pins values too". */
    private static Optional<String> registryRefusal(Action a) {
        String where = a.key() + "\\" + a.name();
        if (!RegistryKeys.isWritable(a.key(), a.name())) {
            return Optional.of("writing " + where + " is outside the allowlist");
        }
        Long value = a.value();
        if (value == null || value < 0 || value > 0xFFFF_FFFFL) {
            return Optional.of("the value of " + where + " is not a DWORD");
        }
        String name = a.name().toLowerCase(Locale.ROOT);
        String key = a.key().toLowerCase(Locale.ROOT);
        long allowed;
        if (name.equals(RegistryKeys.DEFAULT_SECURE_PROTOCOLS.toLowerCase(Locale.ROOT))) {
            return (value & WINHTTP_TLS12) != 0 && (value & ~WINHTTP_ALLOWED_BITS) == 0
                    ? Optional.empty()
                    : Optional.of(where + " = 0x" + Long.toHexString(value)
                            + ": must have TLS 1.2 (0x800) and no bit outside 0x2AA0");
        } else if (name.equals(RegistryKeys.SCH_USE_STRONG_CRYPTO.toLowerCase(Locale.ROOT))
                || name.equals(RegistryKeys.SYSTEM_DEFAULT_TLS_VERSIONS.toLowerCase(Locale.ROOT))) {
            allowed = 1;
        } else {
            boolean tls12 = key.endsWith(("\\" + RegistryKeys.SCH_TLS12 + "\\" + RegistryKeys.CLIENT).toLowerCase(Locale.ROOT))
                    || key.endsWith(("\\" + RegistryKeys.SCH_TLS12 + "\\" + RegistryKeys.SERVER).toLowerCase(Locale.ROOT));
            boolean enabled = name.equals(RegistryKeys.ENABLED.toLowerCase(Locale.ROOT));
            // TLS 1.2: Enabled 1, DisabledByDefault 0; SSL 3.0, TLS 1.0, TLS 1.1: Enabled 0, DisabledByDefault 1.
            allowed = tls12 == enabled ? 1 : 0;
        }
        return value == allowed ? Optional.empty()
                : Optional.of(where + " = " + value + ": the allowlist pins it to " + allowed);
    }
}
