package org.tlsrollout.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VocabularyTest {

    private static RuleResult result(RuleId id, RuleStatus status, Phase phase) {
        return new RuleResult(id, status, id.severity(), phase, "", null, null);
    }

    @Test
    void phaseStateFollowsTheOrderOfRulesMd() {
        Phase p = Phase.CLIENTS;
        assertThat(PhaseState.of(p, List.of(result(RuleId.DOTNET_VERSION, RuleStatus.FAIL, p),
                result(RuleId.DOTNET_STRONG_CRYPTO, RuleStatus.UNKNOWN, p)))).isEqualTo(PhaseState.NONCOMPLIANT);
        assertThat(PhaseState.of(p, List.of(result(RuleId.DOTNET_VERSION, RuleStatus.PASS, p),
                result(RuleId.DOTNET_STRONG_CRYPTO, RuleStatus.UNKNOWN, p)))).isEqualTo(PhaseState.UNKNOWN);
        assertThat(PhaseState.of(p, List.of(result(RuleId.WINHTTP_KB3140245, RuleStatus.NOT_APPLICABLE, p))))
                .isEqualTo(PhaseState.NOT_APPLICABLE);
        assertThat(PhaseState.of(p, List.of(result(RuleId.DOTNET_VERSION, RuleStatus.PASS, p))))
                .isEqualTo(PhaseState.COMPLIANT);
    }

    @Test
    void warningsNeverBlockAPhase() {
        Phase p = Phase.CLIENTS;
        assertThat(PhaseState.of(p, List.of(result(RuleId.DOTNET_VERSION, RuleStatus.PASS, p),
                result(RuleId.FIPS_POLICY, RuleStatus.FAIL, p)))).isEqualTo(PhaseState.COMPLIANT);
    }

    @Test
    void resultsOfOtherPhasesDoNotCount() {
        assertThat(PhaseState.of(Phase.VERIFY, List.of(result(RuleId.DOTNET_VERSION, RuleStatus.FAIL, Phase.CLIENTS))))
                .isEqualTo(PhaseState.NOT_APPLICABLE);
    }

    @Test
    void aSiteSystemIsAnyMachineWithARoleOtherThanClientAndConsole() {
        assertThat(MachineClass.of(List.of(Role.CLIENT, Role.ADMIN_CONSOLE))).isEqualTo(MachineClass.CLIENT);
        assertThat(MachineClass.of(List.of(Role.CLIENT, Role.DISTRIBUTION_POINT))).isEqualTo(MachineClass.SITE_SYSTEM);
        assertThat(MachineClass.of(List.of())).isEqualTo(MachineClass.CLIENT);
    }

    @Test
    void enableRulesTakeThePhaseOfTheMachineClass() {
        assertThat(RuleId.DOTNET_STRONG_CRYPTO.phaseFor(MachineClass.CLIENT)).isEqualTo(Phase.CLIENTS);
        assertThat(RuleId.DOTNET_STRONG_CRYPTO.phaseFor(MachineClass.SITE_SYSTEM)).isEqualTo(Phase.SITE_SYSTEMS);
        assertThat(RuleId.TLS12_HANDSHAKE.phaseFor(MachineClass.SITE_SYSTEM)).isEqualTo(Phase.VERIFY);
        assertThat(RuleId.SCHANNEL_LEGACY_DISABLED.phaseFor(MachineClass.CLIENT)).isEqualTo(Phase.DISABLE_LEGACY);
    }

    @Test
    void theAllowlistLetsJobsWriteOnlyTheValuesTheRulesName() {
        assertThat(RegistryKeys.isWritable(RegistryKeys.WINHTTP_WOW, "DefaultSecureProtocols")).isTrue();
        assertThat(RegistryKeys.isWritable(RegistryKeys.schannel("TLS 1.0", "Server"), "enabled")).isTrue();
        assertThat(RegistryKeys.isWritable(RegistryKeys.FIPS, "Enabled")).isFalse();
        assertThat(RegistryKeys.isWritable(RegistryKeys.NET4, "Enabled")).isFalse();
        assertThat(RegistryKeys.isWritable("HKLM\\SOFTWARE\\Evil", "Run")).isFalse();
        assertThat(RegistryKeys.isReported(RegistryKeys.FIPS)).isTrue();
    }

    @Test
    void machineClassUsesTheWireNamesOfApiMd() throws Exception {
        assertThat(Json.MAPPER.writeValueAsString(MachineClass.SITE_SYSTEM)).isEqualTo("\"site-system\"");
        assertThat(Json.MAPPER.readValue("\"client\"", MachineClass.class)).isEqualTo(MachineClass.CLIENT);
    }
}
