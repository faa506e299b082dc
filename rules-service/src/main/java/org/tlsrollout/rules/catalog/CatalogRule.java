package org.tlsrollout.rules.catalog;

import java.util.List;
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

    CatalogRule(RuleId id, String source) {
        this.id = id;
        this.source = source;
        this.severity = id.severity();
        this.clientPhase = id.phaseFor(MachineClass.CLIENT);
        this.siteSystemPhase = id.phaseFor(MachineClass.SITE_SYSTEM);
    }

    abstract RuleResult evaluate(Evaluation e);

    final RuleResult pass(Evaluation e, String message) {
        return result(e, RuleStatus.PASS, message, List.of());
    }

    final RuleResult fail(Evaluation e, String message, List<Action> actions) {
        return result(e, RuleStatus.FAIL, message, actions);
    }

    final RuleResult notApplicable(Evaluation e, String message) {
        return result(e, RuleStatus.NOT_APPLICABLE, message, List.of());
    }

    final RuleResult unknown(Evaluation e, String message) {
        return result(e, RuleStatus.UNKNOWN, message, List.of());
    }

    private RuleResult result(Evaluation e, RuleStatus status, String message, List<Action> actions) {
        Phase phase = e.machineClass == MachineClass.CLIENT ? clientPhase : siteSystemPhase;
        return new RuleResult(id, status, severity, phase, message, source, actions);
    }
}
