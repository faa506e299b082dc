package org.tlsrollout.rules.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrollout.rules.catalog.Catalogs.result;

import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;
import org.tlsrollout.contracts.Severity;

/**
 * 001: "If the FIPS security policy setting is enabled for either the client or a server, Secure Channel
 * (Schannel) negotiation can cause TLS 1.0 to be used even if the protocol is disabled using the registry."
 */
class FipsPolicyRuleTest {
    private static final RuleId ID = RuleId.FIPS_POLICY;

    @Test
    @DisplayName("rules.md: PASS when FIPS Enabled \"is absent or 0\"")
    void offPasses() {
        RuleResult absent = result(SnapshotBuilder.win10(), ID);
        assertThat(absent.status()).isEqualTo(RuleStatus.PASS);
        assertThat(absent.message()).contains("is absent");
        RuleResult zero = result(SnapshotBuilder.win10().reg(RegistryKeys.FIPS, "Enabled", 0), ID);
        assertThat(zero.status()).isEqualTo(RuleStatus.PASS);
        assertThat(zero.message()).contains("Enabled = 0");
    }

    @Test
    @DisplayName("001: \"Schannel negotiation can cause TLS 1.0 to be used\": Enabled=1 is a WARNING finding, no action")
    void onIsAWarningWithoutAction() {
        RuleResult r = result(SnapshotBuilder.win10().reg(RegistryKeys.FIPS, "Enabled", 1), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.severity()).isEqualTo(Severity.WARNING);
        assertThat(r.actions()).isEmpty();
        assertThat(r.message()).contains("Enabled = 1", "TLS 1.0", "a person must decide");
        assertThat(r.source()).isEqualTo("001");
    }

    @Test
    @DisplayName("rules.md: \"WARNING rules are reported but never block\"")
    void neverBlocksThePhase() {
        // everything else a Windows 10 client needs is in place
        SnapshotBuilder b = SnapshotBuilder.win10().dotnet(528372).reg(RegistryKeys.FIPS, "Enabled", 1);
        for (String key : new String[] {RegistryKeys.NET4, RegistryKeys.NET2, RegistryKeys.NET4_WOW, RegistryKeys.NET2_WOW}) {
            b.reg(key, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1).reg(key, RegistryKeys.SYSTEM_DEFAULT_TLS_VERSIONS, 1);
        }
        EvaluationEvent event = Catalogs.DEFAULT.evaluate(b.build(), Instant.EPOCH);
        assertThat(event.results().get(ID.ordinal()).status()).isEqualTo(RuleStatus.FAIL);
        assertThat(event.phases()).containsEntry(Phase.CLIENTS, PhaseState.COMPLIANT);
    }

    @Test
    @DisplayName("rules.md: UNKNOWN without the registry section")
    void unknownWithoutRegistry() {
        assertThat(result(SnapshotBuilder.win10().noRegistry(), ID).status()).isEqualTo(RuleStatus.UNKNOWN);
    }
}
