package org.tlsrollout.remediation.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.ActionType;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PreviousValue;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;
import org.tlsrollout.contracts.Severity;

/** What a fix job and a rollback job hold (rules.md), without Quarkus. */
class JobPlannerTest {
    private static final String TLS12_CLIENT = RegistryKeys.schannel(RegistryKeys.SCH_TLS12, RegistryKeys.CLIENT);
    private static final String TLS11_SERVER = RegistryKeys.schannel(RegistryKeys.SCH_TLS11, RegistryKeys.SERVER);
    private static final String TLS10_CLIENT = RegistryKeys.schannel(RegistryKeys.SCH_TLS10, RegistryKeys.CLIENT);

    private static RuleResult fail(RuleId rule, Phase phase, Action... actions) {
        return new RuleResult(rule, RuleStatus.FAIL, rule.severity(), phase, rule + " fails", null, List.of(actions));
    }

    @Test
    void registryFirstThenInstallsThenServicesThenOneRestartThenProbes() {
        List<RuleResult> findings = List.of(
                fail(RuleId.KNOWN_TLS_ERRORS, Phase.VERIFY, Action.restartService("SMS_EXECUTIVE"), Action.restart("app catalog")),
                fail(RuleId.TLS12_HANDSHAKE, Phase.VERIFY, Action.runProbes()),
                fail(RuleId.REBOOT_COMPLETED, Phase.VERIFY, Action.restart("a restart is pending")));
        JobPlanner.Plan plan = JobPlanner.fix(Phase.VERIFY, findings);
        assertThat(plan.actions()).containsExactly(Action.restartService("SMS_EXECUTIVE"),
                Action.restart("app catalog; a restart is pending"), Action.runProbes());
        assertThat(plan.restart()).isTrue();
        assertThat(plan.rules()).containsExactly(RuleId.KNOWN_TLS_ERRORS, RuleId.TLS12_HANDSHAKE, RuleId.REBOOT_COMPLETED);

        JobPlanner.Plan clients = JobPlanner.fix(Phase.CLIENTS, List.of(
                fail(RuleId.DOTNET_VERSION, Phase.CLIENTS, Action.installSoftware("dotnet-framework", "4.8")),
                fail(RuleId.WINHTTP_KB3140245, Phase.CLIENTS, Action.installUpdate("KB3140245")),
                fail(RuleId.WINHTTP_DEFAULT_SECURE_PROTOCOLS, Phase.CLIENTS,
                        Action.setDword(RegistryKeys.WINHTTP, RegistryKeys.DEFAULT_SECURE_PROTOCOLS, 0x0A0 | 0xA00),
                        Action.setDword(RegistryKeys.WINHTTP_WOW, RegistryKeys.DEFAULT_SECURE_PROTOCOLS, 0xAA0),
                        Action.restart("WinHTTP reads it at start"))));
        assertThat(clients.actions()).extracting(Action::type).containsExactly(ActionType.SET_REGISTRY_DWORD,
                ActionType.SET_REGISTRY_DWORD, ActionType.INSTALL_UPDATE, ActionType.INSTALL_SOFTWARE, ActionType.RESTART);
        assertThat(clients.actions().get(0).value()).isEqualTo(0xAA0L);
        assertThat(clients.actions().get(1).value()).isEqualTo(0xAA0L);
    }

    @Test
    void oneSetPerValueTheHighestVersionPerProductEachUpdateOnce() {
        List<RuleResult> findings = List.of(
                fail(RuleId.SCHANNEL_TLS12_CLIENT, Phase.SITE_SYSTEMS, Action.setDword(TLS12_CLIENT, "Enabled", 1)),
                fail(RuleId.SCHANNEL_TLS12_SERVER, Phase.SITE_SYSTEMS,
                        Action.setDword(TLS12_CLIENT.toUpperCase(), "ENABLED", 1)),
                fail(RuleId.SQL_NATIVE_CLIENT, Phase.SITE_SYSTEMS, Action.installSoftware("sql-native-client", "11.4.7001.0")),
                fail(RuleId.SQL_SECONDARY_SITE_VERSION, Phase.SITE_SYSTEMS,
                        Action.installSoftware("sql-native-client", "11.4.10000"),
                        Action.installSoftware("sql-server-express", "13.0.5026.0")),
                fail(RuleId.SQL_SERVER_TLS12, Phase.SITE_SYSTEMS, Action.installUpdate("KB3135244")),
                fail(RuleId.WSUS_TLS12_UPDATE, Phase.SITE_SYSTEMS, Action.installUpdate("kb3135244")));
        JobPlanner.Plan plan = JobPlanner.fix(Phase.SITE_SYSTEMS, findings);
        assertThat(plan.actions()).containsExactly(
                Action.setDword(TLS12_CLIENT, "Enabled", 1),
                Action.installUpdate("KB3135244"),
                Action.installSoftware("sql-native-client", "11.4.10000"),
                Action.installSoftware("sql-server-express", "13.0.5026.0"),
                Action.restart(JobPlanner.RESTART_FOR_REGISTRY));
    }

    @Test
    void onlyFailResultsOfThePhaseWithActionsCount() {
        List<RuleResult> findings = List.of(
                fail(RuleId.SCHANNEL_TLS12_CLIENT, Phase.CLIENTS, Action.setDword(TLS12_CLIENT, "Enabled", 1)),
                new RuleResult(RuleId.DOTNET_VERSION, RuleStatus.UNKNOWN, Severity.ERROR, Phase.CLIENTS, "?", null,
                        List.of(Action.installSoftware("dotnet-framework", "4.8"))),
                fail(RuleId.FIPS_POLICY, Phase.CLIENTS),
                fail(RuleId.REBOOT_COMPLETED, Phase.VERIFY, Action.restart("later")));
        JobPlanner.Plan plan = JobPlanner.fix(Phase.CLIENTS, findings);
        assertThat(plan.rules()).containsExactly(RuleId.SCHANNEL_TLS12_CLIENT);
        assertThat(plan.actions()).containsExactly(Action.setDword(TLS12_CLIENT, "Enabled", 1),
                Action.restart(JobPlanner.RESTART_FOR_REGISTRY));
        assertThat(JobPlanner.fix(Phase.DISABLE_LEGACY, findings).isEmpty()).isTrue();
        // Installs alone need no restart from the job.
        JobPlanner.Plan install = JobPlanner.fix(Phase.CLIENTS, List.of(
                fail(RuleId.DOTNET_VERSION, Phase.CLIENTS, Action.installSoftware("dotnet-framework", "4.8"))));
        assertThat(install.restart()).isFalse();
        assertThat(install.actions()).containsExactly(Action.installSoftware("dotnet-framework", "4.8"));
    }

    @Test
    void anActionOutsideTheAllowlistIsARefusal() {
        JobPlanner.Plan fips = JobPlanner.fix(Phase.CLIENTS, List.of(
                fail(RuleId.FIPS_POLICY, Phase.CLIENTS, Action.setDword(RegistryKeys.FIPS, "Enabled", 0))));
        assertThat(fips.refusal()).hasValueSatisfying(r -> assertThat(r).contains("action 1", "allowlist"));
        JobPlanner.Plan service = JobPlanner.fix(Phase.VERIFY, List.of(
                fail(RuleId.KNOWN_TLS_ERRORS, Phase.VERIFY, Action.restartService("W3SVC"))));
        assertThat(service.refusal()).isPresent();
        JobPlanner.Plan fine = JobPlanner.fix(Phase.CLIENTS, List.of(
                fail(RuleId.SCHANNEL_TLS12_CLIENT, Phase.CLIENTS, Action.setDword(TLS12_CLIENT, "Enabled", 1))));
        assertThat(fine.refusal()).isEmpty();
    }

    @Test
    void aRollbackSetsBackWhatTheJobWroteAndRestarts() {
        List<Action> written = List.of(Action.setDword(TLS12_CLIENT, "Enabled", 1),
                Action.setDword(TLS12_CLIENT, "DisabledByDefault", 0),
                Action.setDword(RegistryKeys.NET4, "SystemDefaultTlsVersions", 1),
                Action.installUpdate("KB3140245"),
                Action.restart("x"));
        List<PreviousValue> previous = List.of(new PreviousValue(TLS12_CLIENT, "Enabled", null),
                new PreviousValue(TLS12_CLIENT, "DisabledByDefault", 1L),
                new PreviousValue(RegistryKeys.NET4, "SystemDefaultTlsVersions", null),
                new PreviousValue(RegistryKeys.FIPS, "Enabled", 1L));
        JobPlanner.Plan win7 = JobPlanner.rollback(List.of(RuleId.SCHANNEL_TLS12_CLIENT), "6.1.7601", written, previous,
                "rollback");
        assertThat(win7.actions()).containsExactly(Action.setDword(TLS12_CLIENT, "Enabled", 0),
                Action.setDword(TLS12_CLIENT, "DisabledByDefault", 1),
                Action.setDword(RegistryKeys.NET4, "SystemDefaultTlsVersions", 0),
                Action.restart("rollback"));
        assertThat(win7.restart()).isTrue();
        assertThat(win7.refusal()).isEmpty();
        JobPlanner.Plan win10 = JobPlanner.rollback(List.of(), "10.0", written, previous, "rollback");
        assertThat(win10.actions().get(0)).isEqualTo(Action.setDword(TLS12_CLIENT, "Enabled", 1));

        assertThat(JobPlanner.rollback(List.of(), "6.1", written, List.of(), "r").isEmpty()).isTrue();
        assertThat(JobPlanner.rollback(List.of(), "6.1", List.of(Action.installUpdate("KB3140245")), previous, "r")
                .isEmpty()).isTrue();
    }

    @Test
    void whatAnAbsentValueMeantToWindows() {
        assertThat(JobPlanner.absentDefault(TLS12_CLIENT, "Enabled", "6.1")).isZero();
        assertThat(JobPlanner.absentDefault(TLS12_CLIENT, "DisabledByDefault", "6.1")).isEqualTo(1L);
        assertThat(JobPlanner.absentDefault(TLS11_SERVER, "Enabled", "6.1.7601")).isZero();
        assertThat(JobPlanner.absentDefault(TLS12_CLIENT, "Enabled", "6.2")).isEqualTo(1L);
        assertThat(JobPlanner.absentDefault(TLS12_CLIENT, "DisabledByDefault", "10.0")).isZero();
        assertThat(JobPlanner.absentDefault(TLS10_CLIENT, "Enabled", "6.1")).isEqualTo(1L);
        assertThat(JobPlanner.absentDefault(TLS10_CLIENT, "DisabledByDefault", "6.1")).isZero();
        assertThat(JobPlanner.absentDefault(RegistryKeys.NET2_WOW, "SchUseStrongCrypto", "6.1")).isZero();
        assertThat(JobPlanner.absentDefault(RegistryKeys.WINHTTP_WOW, "DefaultSecureProtocols", "6.1")).isEqualTo(0xA0L);
        assertThat(JobPlanner.absentDefault(RegistryKeys.FIPS, "Enabled", "6.1")).isNull();
    }

    @Test
    void versionsCompareNumericallyPartByPart() {
        assertThat(JobPlanner.compareVersions("11.4.10000", "11.4.7001.0")).isPositive();
        assertThat(JobPlanner.compareVersions("4.8", "4.8.0")).isZero();
        assertThat(JobPlanner.compareVersions("13.0.5026.0", "13.2")).isNegative();
    }
}
