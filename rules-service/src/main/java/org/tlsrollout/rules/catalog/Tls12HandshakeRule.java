package org.tlsrollout.rules.catalog;

import java.util.List;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;

/**
 * {@code TLS12_HANDSHAKE} (all machines): {@code probes} is non-empty and every probe has {@code ok} true;
 * {@code probes} absent: UNKNOWN; present but empty: FAIL, no probe was made (rules.md). 004: "Finally, test client to site system communications before potentially
 * disabling the older protocols on the server side."
 */
final class Tls12HandshakeRule extends CatalogRule {
    private static final List<Action> FIX = List.of(Action.runProbes());

    Tls12HandshakeRule() {
        super(RuleId.TLS12_HANDSHAKE, "004");
    }

    @Override
    RuleResult evaluate(Evaluation e) {
        List<MachineSnapshot.Probe> probes = e.snapshot.probes();
        if (probes == null) {
            return unknown(e, "no probes reported; expected a successful TLS 1.2-only handshake to each site system");
        }
        if (probes.isEmpty()) {
            return fail(e, "no TLS 1.2-only handshake probe was made; expected at least one, each succeeding", FIX);
        }
        StringBuilder failed = null;
        int count = 0;
        for (MachineSnapshot.Probe p : probes) {
            if (p == null) {
                continue;
            }
            count++;
            if (p.ok()) {
                continue;
            }
            if (failed == null) {
                failed = new StringBuilder(128);
            } else {
                failed.append("; ");
            }
            failed.append(p.protocol()).append(" handshake to ").append(p.target()).append(" failed");
            if (p.error() != null) {
                failed.append(" (").append(p.error()).append(')');
            }
        }
        if (count == 0) {
            return fail(e, "no TLS 1.2-only handshake probe was made; expected at least one, each succeeding", FIX);
        }
        if (failed != null) {
            failed.append("; expected every handshake to succeed");
            return fail(e, failed.toString(), FIX);
        }
        int succeeded = count;
        return pass(e, () -> succeeded == 1 ? "1 TLS 1.2-only handshake succeeded"
                : succeeded + " TLS 1.2-only handshakes succeeded");
    }
}
