package org.tlsrollout.contracts;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The agent allowlist of rules.md applied to a job's actions: registry writes only to the values the rules name
 * (never FIPS), RESTART_SERVICE only for SMS_EXECUTIVE, installs only of the updates and products the catalog
 * asks for. The agent refuses a job with any action this refuses, whatever its signature; remediation-service
 * checks the same before it signs.
 */
public final class ActionPolicy {
    public static final Set<String> SERVICES = Set.of("SMS_EXECUTIVE");
    public static final Set<String> PRODUCTS = Set.of("dotnet-framework", "sql-server-express", "sql-native-client");
    private static final Pattern KB = Pattern.compile("^KB[0-9]{6,8}$");
    private static final Pattern VERSION = Pattern.compile("^[0-9]+(\\.[0-9]+){0,3}$");
    private static final long DWORD_MAX = 0xFFFF_FFFFL;

    private ActionPolicy() {
    }

    /** Empty when the action is allowed, else why not. */
    public static Optional<String> refusal(Action a) {
        if (a == null || a.type() == null) {
            return Optional.of("an action without a type");
        }
        return switch (a.type()) {
            case SET_REGISTRY_DWORD -> {
                if (!RegistryKeys.isWritable(a.key(), a.name())) {
                    yield Optional.of("writing " + a.key() + "\\" + a.name() + " is outside the allowlist");
                }
                if (a.value() == null || a.value() < 0 || a.value() > DWORD_MAX) {
                    yield Optional.of("the value of " + a.key() + "\\" + a.name() + " is not a DWORD");
                }
                yield Optional.empty();
            }
            case INSTALL_UPDATE -> a.kb() != null && KB.matcher(a.kb()).matches()
                    ? Optional.empty() : Optional.of("not a KB number: " + a.kb());
            case INSTALL_SOFTWARE -> a.product() != null && PRODUCTS.contains(a.product())
                    && a.minimumVersion() != null && VERSION.matcher(a.minimumVersion()).matches()
                    ? Optional.empty() : Optional.of("installing " + a.product() + " " + a.minimumVersion() + " is outside the allowlist");
            case RESTART_SERVICE -> a.service() != null && SERVICES.contains(a.service())
                    ? Optional.empty() : Optional.of("restarting the service " + a.service() + " is outside the allowlist");
            case RUN_PROBES, RESTART -> Optional.empty();
        };
    }
}
