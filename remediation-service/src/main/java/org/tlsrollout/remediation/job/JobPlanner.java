package org.tlsrollout.remediation.job;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.DottedVersions;
import org.tlsrollout.contracts.ActionPolicy;
import org.tlsrollout.contracts.ActionType;
import org.tlsrollout.contracts.Phase;
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
 * <li>{@link #rollback}: UNDO_JOB of each job the machine succeeded in the rolled-back wave, newest first, then
 * RESTART: the agent restores what its undo log holds. Installed updates and software are not undone.</li>
 * </ul>
 */
public final class JobPlanner {
    static final String RESTART_FOR_REGISTRY = "SChannel, WinHTTP and .NET read these registry values at start: "
            + "they take effect after a restart";

    private JobPlanner() {
    }

    /**
     * What a job holds.
     *
     * @param rules the rules whose remediation it carries
     * @param restart true when it ends with a RESTART action
     * @param requested every action the findings asked for, before deduplication (checked against the allowlist too,
     *        so that a hostile value cannot hide behind a legitimate one for the same registry value)
     * @param refused why the findings themselves make it unsignable, or null
     */
    public record Plan(List<RuleId> rules, List<Action> actions, boolean restart, List<Action> requested,
            String refused) {
        public Plan {
            rules = List.copyOf(rules);
            actions = List.copyOf(actions);
            requested = List.copyOf(requested);
        }

        public Plan(List<RuleId> rules, List<Action> actions, boolean restart) {
            this(rules, actions, restart, actions, null);
        }

        public boolean isEmpty() {
            return actions.isEmpty();
        }

        /** {@link #refusal(Set)} with no configured later rollup. */
        public Optional<String> refusal() {
            return refusal(Set.of());
        }

        /**
         * Why it must not be signed, if so: an evaluation asked for an action its rule's catalog remediation does not
         * name, or the agent allowlist refuses an action (values included; {@code laterRollups}: the estate's
         * configured later rollup KBs, upper case). Such a job is never signed.
         */
        public Optional<String> refusal(Set<String> laterRollups) {
            if (refused != null) {
                return Optional.of(refused);
            }
            for (List<Action> list : List.of(actions, requested)) {
                for (int i = 0; i < list.size(); i++) {
                    Optional<String> refusal = ActionPolicy.refusal(list.get(i), laterRollups);
                    if (refusal.isPresent()) {
                        String which = list == actions ? "action " : "requested action ";
                        return Optional.of("the agent allowlist refuses " + which + (i + 1) + ": " + refusal.get());
                    }
                }
            }
            return Optional.empty();
        }
    }

    /**
     * The action types each rule's catalog remediation may carry (rules.md, "remediation actions"): an evaluation
     * asking for any other (UNDO_JOB above all, which only a rollback issues) gets its machine no job.
     */
    static final Map<RuleId, Set<ActionType>> CATALOG_ACTIONS = catalogActions();

    private static Map<RuleId, Set<ActionType>> catalogActions() {
        Set<ActionType> set = EnumSet.of(ActionType.SET_REGISTRY_DWORD, ActionType.RESTART);
        Map<RuleId, Set<ActionType>> m = new EnumMap<>(RuleId.class);
        m.put(RuleId.WINHTTP_KB3140245, EnumSet.of(ActionType.INSTALL_UPDATE));
        m.put(RuleId.WINHTTP_DEFAULT_SECURE_PROTOCOLS, set);
        m.put(RuleId.SCHANNEL_TLS12_CLIENT, set);
        m.put(RuleId.SCHANNEL_TLS12_SERVER, set);
        m.put(RuleId.DOTNET_VERSION, EnumSet.of(ActionType.INSTALL_SOFTWARE));
        m.put(RuleId.DOTNET_STRONG_CRYPTO, set);
        m.put(RuleId.DOTNET_SYSTEM_DEFAULT_TLS, set);
        m.put(RuleId.SQL_SERVER_TLS12, EnumSet.of(ActionType.INSTALL_UPDATE));
        m.put(RuleId.SQL_SECONDARY_SITE_VERSION, EnumSet.of(ActionType.INSTALL_SOFTWARE));
        m.put(RuleId.SQL_NATIVE_CLIENT, EnumSet.of(ActionType.INSTALL_SOFTWARE));
        m.put(RuleId.WSUS_TLS12_UPDATE, EnumSet.of(ActionType.INSTALL_UPDATE));
        m.put(RuleId.FIPS_POLICY, EnumSet.noneOf(ActionType.class));
        m.put(RuleId.DOTNET_48_CONSOLE, EnumSet.of(ActionType.INSTALL_SOFTWARE));
        m.put(RuleId.REBOOT_COMPLETED, EnumSet.of(ActionType.RESTART));
        m.put(RuleId.TLS12_HANDSHAKE, EnumSet.of(ActionType.RUN_PROBES));
        m.put(RuleId.KNOWN_TLS_ERRORS, EnumSet.of(ActionType.RESTART_SERVICE, ActionType.RESTART));
        m.put(RuleId.SCHANNEL_LEGACY_DISABLED, set);
        return m;
    }

    /**
     * The job that fixes the FAIL results of {@code phase} among a machine's findings. An action whose type the
     * rule's catalog remediation does not name makes the plan refused ({@link Plan#refusal}), never signed.
     */
    public static Plan fix(Phase phase, List<RuleResult> findings) {
        String refused = null;
        List<Action> requested = new ArrayList<>();
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
                if (a == null || a.type() == null
                        || !CATALOG_ACTIONS.getOrDefault(result.ruleId(), Set.of()).contains(a.type())) {
                    if (refused == null) {
                        refused = "the evaluation asks " + result.ruleId() + " for "
                                + (a == null || a.type() == null ? "an action without a type" : a.type())
                                + ", which its catalog remediation does not name";
                    }
                    continue;
                }
                requested.add(a);
                switch (a.type()) {
                    case SET_REGISTRY_DWORD -> registry.putIfAbsent(pair(a.key(), a.name()), a);
                    case INSTALL_UPDATE -> updates.putIfAbsent(String.valueOf(a.kb()).toUpperCase(Locale.ROOT), a);
                    case INSTALL_SOFTWARE -> software.merge(String.valueOf(a.product()), a,
                            (kept, next) -> DottedVersions.compare(next.minimumVersion(), kept.minimumVersion()) > 0 ? next : kept);
                    case RESTART_SERVICE -> services.putIfAbsent(String.valueOf(a.service()), a);
                    case RESTART -> {
                        restart = true;
                        if (a.reason() != null && !a.reason().isBlank()) {
                            restartReasons.add(a.reason());
                        }
                    }
                    case RUN_PROBES -> probes = true;
                    case UNDO_JOB -> { } // never from an evaluation: refused above
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
        return new Plan(rules, actions, restarts, requested, refused);
    }

    /**
     * The job of a wave's rollback on one machine (rules.md, UNDO_JOB): an {@code UNDO_JOB} for each job of the
     * rolled-back wave the machine reported SUCCEEDED, newest first, so the agent restores from its own undo log
     * what it wrote; then RESTART. Never values: the previous values agents report are kept for the audit trail only.
     *
     * @param rules the rules of the jobs undone
     * @param jobIds the ids of those jobs, newest first
     */
    public static Plan rollback(List<RuleId> rules, List<String> jobIds, String reason) {
        if (jobIds == null || jobIds.isEmpty()) {
            return new Plan(List.of(), List.of(), false);
        }
        List<Action> actions = new ArrayList<>();
        for (String jobId : new LinkedHashSet<>(jobIds)) {
            actions.add(Action.undoJob(jobId));
        }
        actions.add(Action.restart(reason));
        return new Plan(rules, actions, true);
    }

    private static String pair(String key, String name) {
        return (key + "|" + name).toLowerCase(Locale.ROOT);
    }
}
