package org.tlsrollout.rules.catalog;

import java.util.List;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;

/**
 * {@code REBOOT_COMPLETED} (all machines): {@code pendingReboot} is absent or false. 000: "This value disables
 * the RC4 stream cipher and requires a restart"; 002: "If you change this value, restart the computer".
 */
final class RebootCompletedRule extends CatalogRule {
    static final String RESTART_REASON = "a restart is pending: registry and .NET changes take effect after it";
    private static final List<Action> FIX = List.of(Action.restart(RESTART_REASON));

    RebootCompletedRule() {
        super(RuleId.REBOOT_COMPLETED, "000, 002");
    }

    @Override
    RuleResult evaluate(Evaluation e) {
        Boolean pending = e.snapshot.pendingReboot();
        if (pending == null) {
            return pass(e, "pendingReboot not reported: no restart known to be pending");
        }
        if (!pending) {
            return pass(e, "no restart pending (pendingReboot false)");
        }
        return fail(e, "a restart is pending (pendingReboot true); expected none, as registry and .NET changes take "
                + "effect only after a restart", FIX);
    }
}
