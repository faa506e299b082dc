package org.tlsrollout.remediation.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.ActionPolicy;
import org.tlsrollout.contracts.ActionType;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PreviousValue;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;

/**
 * What a fix job holds (rules.md, "remediation actions" and "Action types in a fix job"). Plain Java, no framework.
 * <ul>
 * <li>{@link #fix}: the actions of a machine's FAIL results of one phase, as rules-service computed them (e.g. WinHTTP
 * {@code current | 0xA00}, or {@code 0xAA0} when absent), deduplicated and ordered: registry values first (one per
 * key and name), then updates (each KB once), software (the highest minimum version per product), service restarts
 * (each service once), a single RESTART when any registry value is set or any rule asked for one, RUN_PROBES
 * last.</li>
 * <li>{@link #rollback}: the registry values a job wrote, set back to what the agent reported they were; a value that
 * was absent gets the default its absence meant to Windows; then RESTART. Installed updates and software are not
 * undone.</li>
 * </ul>
 */
public final class JobPlanner {
    static final String RESTART_FOR_REGISTRY = "SChannel, WinHTTP and .NET read these registry values at start: "
            + "they take effect after a restart";

    /** The start of every SCH(P, S) key ({@code HKLM\...\SCHANNEL\Protocols\}), lower-cased. */
    private static final String SCHANNEL_PROTOCOLS = RegistryKeys.schannel("P", "S")
            .substring(0, RegistryKeys.schannel("P", "S").length() - "P\\S".length()).toLowerCase(Locale.ROOT);

    private JobPlanner() {
    }

    /**
     * What a job holds.
     *
     * @param rules the rules whose remediation it carries
     * @param restart true when it ends with a RESTART action
     */
    public record Plan(List<RuleId> rules, List<Action> actions, boolean restart) {
        public Plan {
            rules = List.copyOf(rules);
            actions = List.copyOf(actions);
        }

        public boolean isEmpty() {
            return actions.isEmpty();
        }

        /** Why the agent would refuse it (the allowlist), if it would: such a job is never signed. */
        public Optional<String> refusal() {
            for (int i = 0; i < actions.size(); i++) {
                Optional<String> refusal = ActionPolicy.refusal(actions.get(i));
                if (refusal.isPresent()) {
                    return Optional.of("action " + (i + 1) + ": " + refusal.get());
                }
            }
            return Optional.empty();
        }
    }

    /** The job that fixes the FAIL results of {@code phase} among a machine's findings. */
    public static Plan fix(Phase phase, List<RuleResult> findings) {
        Map<String, Action> registry = new LinkedHashMap<>();
        Map<String, Action> updates = new LinkedHashMap<>();
        Map<String, Action> software = new LinkedHashMap<>();
        Map<String, Action> services = new LinkedHashMap<>();
        Set<String> restartReasons = new LinkedHashSet<>();
        boolean restart = false;
        boolean probes = false;
        List<RuleId> rules = new ArrayList<>();
        for (RuleResult result : findings == null ? List.<RuleResult>of() : findings) {
            if (result.status() != RuleStatus.FAIL || result.phase() != phase || result.actions().isEmpty()) {
                continue;
            }
            if (!rules.contains(result.ruleId())) {
                rules.add(result.ruleId());
            }
            for (Action a : result.actions()) {
                switch (a.type()) {
                    case SET_REGISTRY_DWORD -> registry.putIfAbsent(pair(a.key(), a.name()), a);
                    case INSTALL_UPDATE -> updates.putIfAbsent(String.valueOf(a.kb()).toUpperCase(Locale.ROOT), a);
                    case INSTALL_SOFTWARE -> software.merge(String.valueOf(a.product()), a,
                            (kept, next) -> compareVersions(next.minimumVersion(), kept.minimumVersion()) > 0 ? next : kept);
                    case RESTART_SERVICE -> services.putIfAbsent(String.valueOf(a.service()), a);
                    case RESTART -> {
                        restart = true;
                        if (a.reason() != null && !a.reason().isBlank()) {
                            restartReasons.add(a.reason());
                        }
                    }
                    case RUN_PROBES -> probes = true;
                }
            }
        }
        List<Action> actions = new ArrayList<>(registry.values());
        actions.addAll(updates.values());
        actions.addAll(software.values());
        actions.addAll(services.values());
        boolean restarts = restart || !registry.isEmpty();
        if (restarts) {
            actions.add(Action.restart(restartReasons.isEmpty() ? RESTART_FOR_REGISTRY : String.join("; ", restartReasons)));
        }
        if (probes) {
            actions.add(Action.runProbes());
        }
        return new Plan(rules, actions, restarts);
    }

    /**
     * The job that undoes the registry writes of a job: every value the job set and the agent reported a previous
     * value of is set back to it (an absent one to {@link #absentDefault}), then RESTART. Nothing else is undone.
     *
     * @param osVersion the machine's OS version (an absent SChannel TLS 1.1/1.2 value means off on 6.1)
     * @param written the actions of the job rolled back: only the values it set are restored
     * @param previous what the agent reported those values were
     */
    public static Plan rollback(List<RuleId> rules, String osVersion, List<Action> written, List<PreviousValue> previous,
            String reason) {
        Set<String> set = new LinkedHashSet<>();
        for (Action a : written) {
            if (a.type() == ActionType.SET_REGISTRY_DWORD) {
                set.add(pair(a.key(), a.name()));
            }
        }
        Map<String, Action> restore = new LinkedHashMap<>();
        for (PreviousValue value : previous == null ? List.<PreviousValue>of() : previous) {
            if (value == null || value.key() == null || value.name() == null) {
                continue;
            }
            String pair = pair(value.key(), value.name());
            if (!set.contains(pair) || restore.containsKey(pair)) {
                continue;
            }
            Long restored = value.value() != null ? value.value() : absentDefault(value.key(), value.name(), osVersion);
            if (restored != null) {
                restore.put(pair, Action.setDword(value.key(), value.name(), restored));
            }
        }
        if (restore.isEmpty()) {
            return new Plan(List.of(), List.of(), false);
        }
        List<Action> actions = new ArrayList<>(restore.values());
        actions.add(Action.restart(reason));
        return new Plan(rules, actions, true);
    }

    /**
     * The value Windows assumes when a registry value the catalog writes is absent, which a rollback writes back in
     * its place (an agent cannot delete a value): SChannel {@code Enabled} 1 and {@code DisabledByDefault} 0, except
     * TLS 1.1 and 1.2 on OS 6.1, off there by default ({@code Enabled} 0, {@code DisabledByDefault} 1); .NET
     * {@code SchUseStrongCrypto} and {@code SystemDefaultTlsVersions} 0; WinHTTP {@code DefaultSecureProtocols} 0xA0
     * (SSL 3.0 and TLS 1.0, the Windows default seed 002 names). Null for a value the catalog never writes.
     */
    public static Long absentDefault(String key, String name, String osVersion) {
        String k = key.toLowerCase(Locale.ROOT);
        String n = name.toLowerCase(Locale.ROOT);
        if (k.startsWith(SCHANNEL_PROTOCOLS)) {
            String protocol = k.substring(SCHANNEL_PROTOCOLS.length()).split("\\\\")[0];
            boolean offByDefault = isOs61(osVersion) && (protocol.equals(RegistryKeys.SCH_TLS11.toLowerCase(Locale.ROOT))
                    || protocol.equals(RegistryKeys.SCH_TLS12.toLowerCase(Locale.ROOT)));
            if (n.equals(RegistryKeys.ENABLED.toLowerCase(Locale.ROOT))) {
                return offByDefault ? 0L : 1L;
            }
            if (n.equals(RegistryKeys.DISABLED_BY_DEFAULT.toLowerCase(Locale.ROOT))) {
                return offByDefault ? 1L : 0L;
            }
            return null;
        }
        if (n.equals(RegistryKeys.SCH_USE_STRONG_CRYPTO.toLowerCase(Locale.ROOT))
                || n.equals(RegistryKeys.SYSTEM_DEFAULT_TLS_VERSIONS.toLowerCase(Locale.ROOT))) {
            return 0L;
        }
        if (n.equals(RegistryKeys.DEFAULT_SECURE_PROTOCOLS.toLowerCase(Locale.ROOT))) {
            return 0xA0L;
        }
        return null;
    }

    static boolean isOs61(String osVersion) {
        return osVersion != null && (osVersion.equals("6.1") || osVersion.startsWith("6.1."));
    }

    /** Compares dotted versions numerically, part by part; a missing part counts as 0. */
    static int compareVersions(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? part(x[i]) : 0;
            long q = i < y.length ? part(y[i]) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }

    private static long part(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String pair(String key, String name) {
        return (key + "|" + name).toLowerCase(Locale.ROOT);
    }
}
