package org.tlsrollout.rules.catalog;

import java.util.List;
import java.util.function.Supplier;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.MachineClass;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;
import org.tlsrollout.contracts.Severity;

/**
 * One rule of rules.md: its id, the seeds it comes from (rules.md's "source" column) and how it judges one
 * snapshot. Rules are stateless after construction and safe to share between threads.
 */
abstract class CatalogRule {
    final RuleId id;
    final String source;
    private final Severity severity;
    private final Phase clientPhase;
    private final Phase siteSystemPhase;
    /** The PASS and NOT_APPLICABLE results of a quiet evaluation, without a message: by status, then machine class. */
    private final RuleResult[][] quiet = new RuleResult[RuleStatus.values().length][MachineClass.values().length];

    CatalogRule(RuleId id, String source) {
        this.id = id;
        this.source = source;
        this.severity = id.severity();
        this.clientPhase = id.phaseFor(MachineClass.CLIENT);
        this.siteSystemPhase = id.phaseFor(MachineClass.SITE_SYSTEM);
        for (RuleStatus status : List.of(RuleStatus.PASS, RuleStatus.NOT_APPLICABLE)) {
            for (MachineClass machineClass : MachineClass.values()) {
                quiet[status.ordinal()][machineClass.ordinal()] = new RuleResult(id, status, severity,
                        phase(machineClass), null, source, List.of());
            }
        }
    }

    abstract RuleResult evaluate(Evaluation e);

    final RuleResult pass(Evaluation e, String message) {
        return result(e, RuleStatus.PASS, message, List.of());
    }

    /** A PASS whose message is only built when the evaluation is not {@link Evaluation#quiet}. */
    final RuleResult pass(Evaluation e, Supplier<String> message) {
        return pass(e, e.quiet ? null : message.get());
    }

    final RuleResult fail(Evaluation e, String message, List<Action> actions) {
        return result(e, RuleStatus.FAIL, message, actions);
    }

    final RuleResult notApplicable(Evaluation e, String message) {
        return result(e, RuleStatus.NOT_APPLICABLE, message, List.of());
    }

    /** A NOT_APPLICABLE whose message is only built when the evaluation is not {@link Evaluation#quiet}. */
    final RuleResult notApplicable(Evaluation e, Supplier<String> message) {
        return notApplicable(e, e.quiet ? null : message.get());
    }

    final RuleResult unknown(Evaluation e, String message) {
        return result(e, RuleStatus.UNKNOWN, message, List.of());
    }

    private RuleResult result(Evaluation e, RuleStatus status, String message, List<Action> actions) {
        if (e.quiet && (status == RuleStatus.PASS || status == RuleStatus.NOT_APPLICABLE)) {
            return quiet[status.ordinal()][e.machineClass.ordinal()];
        }
        return new RuleResult(id, status, severity, phase(e.machineClass), message, source, actions);
    }

    private Phase phase(MachineClass machineClass) {
        return machineClass == MachineClass.CLIENT ? clientPhase : siteSystemPhase;
    }
}
