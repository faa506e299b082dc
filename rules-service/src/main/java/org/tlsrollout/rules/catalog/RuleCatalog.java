package org.tlsrollout.rules.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;

/**
 * The TLS 1.2 rule catalog of rules.md, version {@value #VERSION}: evaluates every rule on one
 * {@link MachineSnapshot}. Plain Java, immutable and thread-safe once built; build it once and share it.
 */
public final class RuleCatalog {
    /** rules.md's catalog version, published in every evaluation as {@code catalogVersion}. */
    public static final String VERSION = "1";

    private static final Phase[] PHASES = Phase.values();
    private static final RuleId[] IDS = RuleId.values();

    private final CatalogOptions options;
    /** One rule per {@link RuleId}, in RuleId order. */
    private final CatalogRule[] rules;

    /** The catalog with {@link CatalogOptions#DEFAULTS}. */
    public RuleCatalog() {
        this(CatalogOptions.DEFAULTS);
    }

    public RuleCatalog(CatalogOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        CatalogRule[] all = {
            new WinHttpKb3140245Rule(options),
            new WinHttpDefaultSecureProtocolsRule(),
            SchannelTls12Rule.client(),
            SchannelTls12Rule.server(),
            DotNetVersionRule.version(),
            DotNetRegistryRule.strongCrypto(),
            DotNetRegistryRule.systemDefaultTls(),
            new SqlServerTls12Rule(),
            new SqlSecondarySiteVersionRule(),
            new SqlNativeClientRule(),
            new WsusTls12UpdateRule(options),
            new FipsPolicyRule(),
            DotNetVersionRule.console(),
            new RebootCompletedRule(),
            new Tls12HandshakeRule(),
            new KnownTlsErrorsRule(),
            new SchannelLegacyDisabledRule(options),
        };
        if (all.length != IDS.length) {
            throw new IllegalStateException("the catalog has " + all.length + " rules for " + IDS.length + " rule ids");
        }
        for (int i = 0; i < all.length; i++) {
            if (all[i].id != IDS[i]) {
                throw new IllegalStateException("rule " + i + " is " + all[i].id + ", expected " + IDS[i]);
            }
        }
        this.rules = all;
    }

    public CatalogOptions options() {
        return options;
    }

    /** The seeds a rule comes from, as its results' {@code source} give them (rules.md's "source" column). */
    public String source(RuleId id) {
        return rules[id.ordinal()].source;
    }

    /** Exactly one result per {@link RuleId}, in RuleId order. */
    public List<RuleResult> evaluate(MachineSnapshot snapshot) {
        return evaluate(new Evaluation(Objects.requireNonNull(snapshot, "snapshot")));
    }

    /**
     * The whole evaluation message of api.md ({@code tlsrollout.evaluations.v1}): the snapshot's identity, the
     * catalog version, the machine class, every rule's result, the state of each of the four phases
     * ({@link PhaseState#of}), and the additions remediation-service uses.
     *
     * @param now the evaluation time ({@code evaluatedAt})
     */
    public EvaluationEvent evaluate(MachineSnapshot snapshot, Instant now) {
        return event(new Evaluation(Objects.requireNonNull(snapshot, "snapshot")), now);
    }

    /**
     * {@code compact(evaluate(snapshot, now))}, without building the messages of the PASS and NOT_APPLICABLE results
     * that the compact form leaves out.
     */
    public EvaluationEvent evaluateCompact(MachineSnapshot snapshot, Instant now) {
        return compact(event(new Evaluation(Objects.requireNonNull(snapshot, "snapshot"), true), now));
    }

    private EvaluationEvent event(Evaluation e, Instant now) {
        MachineSnapshot snapshot = e.snapshot;
        List<RuleResult> results = evaluate(e);
        Map<Phase, PhaseState> phases = new EnumMap<>(Phase.class);
        for (Phase phase : PHASES) {
            phases.put(phase, PhaseState.of(phase, results));
        }
        List<Role> roles = snapshot.roles() == null ? List.of() : List.copyOf(snapshot.roles());
        return new EvaluationEvent(
                snapshot.machineId(),
                snapshot.siteCode(),
                snapshot.snapshotId(),
                snapshot.collectedAt(),
                VERSION,
                e.machineClass,
                results,
                Collections.unmodifiableMap(phases),
                snapshot.receivedAt(),
                now,
                e.osText,
                roles,
                snapshot.lastBootAt(),
                snapshot.sequence());
    }

    /**
     * The compact form of api.md of a whole evaluation: {@code results} holds only the FAIL and UNKNOWN results (in
     * RuleId order), {@code passed} and {@code notApplicable} name the other rules (empty lists when none); every
     * other field as it was. A consumer gets each rule's status back: a rule in {@code passed} is PASS, one in
     * {@code notApplicable} NOT_APPLICABLE, with the severity and phase of its {@link RuleId} on this machine class.
     */
    public static EvaluationEvent compact(EvaluationEvent full) {
        if (full.isCompact()) {
            return full;
        }
        List<RuleResult> findings = new ArrayList<>();
        List<RuleId> passed = new ArrayList<>();
        List<RuleId> notApplicable = new ArrayList<>();
        for (RuleResult r : full.results()) {
            switch (r.status()) {
                case PASS -> passed.add(r.ruleId());
                case NOT_APPLICABLE -> notApplicable.add(r.ruleId());
                case FAIL, UNKNOWN -> findings.add(r);
            }
        }
        return new EvaluationEvent(full.machineId(), full.siteCode(), full.snapshotId(), full.collectedAt(),
                full.catalogVersion(), full.machineClass(), Collections.unmodifiableList(findings), full.phases(),
                full.receivedAt(), full.evaluatedAt(), full.osVersion(), full.roles(), full.lastBootAt(),
                full.sequence(), Collections.unmodifiableList(passed), Collections.unmodifiableList(notApplicable));
    }

    private List<RuleResult> evaluate(Evaluation e) {
        RuleResult[] results = new RuleResult[rules.length];
        for (int i = 0; i < rules.length; i++) {
            results[i] = rules[i].evaluate(e);
        }
        return Collections.unmodifiableList(Arrays.asList(results));
    }
}
