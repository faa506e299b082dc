package org.tlsrollout.rules.catalog;

import java.util.List;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;

/**
 * {@code FIPS_POLICY} (WARNING, all machines): FIPS {@code Enabled} is absent or 0. 001: "If the FIPS security
 * policy setting is enabled for either the client or a server, Secure Channel (Schannel) negotiation can cause
 * TLS 1.0 to be used even if the protocol is disabled using the registry." No action: a person decides, and the
 * agent never writes FIPS.
 */
final class FipsPolicyRule extends CatalogRule {
    private static final int FIPS = RegistryView.slot(RegistryKeys.FIPS);

    FipsPolicyRule() {
        super(RuleId.FIPS_POLICY, "001");
    }

    @Override
    RuleResult evaluate(Evaluation e) {
        if (e.registry == null) {
            return unknown(e, "registry section not reported; expected " + RegistryKeys.FIPS + " "
                    + RegistryKeys.ENABLED + " absent or 0");
        }
        Long enabled = e.registry.value(FIPS, RegistryKeys.ENABLED);
        if (enabled == null || enabled == 0) {
            return pass(e, () -> "FIPS policy off: " + RegistryKeys.FIPS + " " + RegistryKeys.ENABLED
                    + (enabled == null ? " is absent" : " = 0"));
        }
        return fail(e, "FIPS policy on: " + RegistryKeys.FIPS + " " + RegistryKeys.ENABLED + " = " + enabled
                + "; SChannel can negotiate TLS 1.0 even where the registry disables it; expected "
                + RegistryKeys.ENABLED + " absent or 0; no automatic fix: a person must decide", List.of());
    }
}
