package org.tlsrollout.rules.catalog;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.KnownErrorId;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;

/**
 * {@code KNOWN_TLS_ERRORS} (all machines): {@code knownErrors} is empty; absent is PASS (the agent did not
 * look). Each error found fails the rule; the message gives each one's resolution from rules.md's known-errors
 * table (001, "Known issues"), and the actions are the table's action for each (one of each kind).
 */
final class KnownTlsErrorsRule extends CatalogRule {

    KnownTlsErrorsRule() {
        super(RuleId.KNOWN_TLS_ERRORS, "001");
    }

    @Override
    RuleResult evaluate(Evaluation e) {
        List<MachineSnapshot.KnownError> errors = e.snapshot.knownErrors();
        if (errors == null) {
            return pass(e, "knownErrors not reported: the agent did not look for known TLS errors");
        }
        EnumSet<KnownErrorId> seen = null;
        StringBuilder message = null;
        List<Action> actions = null;
        for (MachineSnapshot.KnownError error : errors) {
            if (error == null || error.id() == null) {
                continue;
            }
            if (seen == null) {
                seen = EnumSet.noneOf(KnownErrorId.class);
                message = new StringBuilder(256);
                actions = new ArrayList<>(2);
            }
            if (!seen.add(error.id())) {
                continue;
            }
            KnownErrorResolutions.Resolution resolution = KnownErrorResolutions.of(error.id());
            if (message.length() > 0) {
                message.append(" | ");
            }
            message.append("found ").append(error.id());
            if (error.source() != null) {
                message.append(" in ").append(error.source());
            }
            if (error.seenAt() != null) {
                message.append(" at ").append(error.seenAt());
            }
            message.append("; resolution: ").append(resolution.text());
            if (resolution.action() != null && !actions.contains(resolution.action())) {
                actions.add(resolution.action());
            }
        }
        if (seen == null) {
            return pass(e, "no known TLS error found");
        }
        return fail(e, message.toString(), actions);
    }
}
