package org.tlsrollout.remediation.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.ActionType;
import org.tlsrollout.contracts.CatalogUpdates;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;
import org.tlsrollout.contracts.Severity;
import org.tlsrollout.remediation.TestRollout;

/** What a fix job and a rollback job hold (rules.md), without Quarkus. */
class JobPlannerTest {
    private static final String TLS12_CLIENT = RegistryKeys.schannel(RegistryKeys.SCH_TLS12, RegistryKeys.CLIENT);

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
                fail(RuleId.SQL_SERVER_TLS12, Phase.SITE_SYSTEMS, Action.installUpdate(CatalogUpdates.SQL_2012_SP3_CU)),
                fail(RuleId.WSUS_TLS12_UPDATE, Phase.SITE_SYSTEMS,
                        Action.installUpdate(CatalogUpdates.SQL_2012_SP3_CU.toLowerCase())));
        JobPlanner.Plan plan = JobPlanner.fix(Phase.SITE_SYSTEMS, findings);
        assertThat(plan.actions()).containsExactly(
                Action.setDword(TLS12_CLIENT, "Enabled", 1),
                Action.installUpdate(CatalogUpdates.SQL_2012_SP3_CU),
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
                fail(RuleId.DOTNET_STRONG_CRYPTO, Phase.CLIENTS, Action.setDword(RegistryKeys.FIPS, "Enabled", 0))));
        assertThat(fips.refusal()).hasValueSatisfying(r -> assertThat(r).contains("action 1", "allowlist"));
        JobPlanner.Plan service = JobPlanner.fix(Phase.VERIFY, List.of(
                fail(RuleId.KNOWN_TLS_ERRORS, Phase.VERIFY, Action.restartService("W3SVC"))));
        assertThat(service.refusal()).isPresent();
        JobPlanner.Plan fine = JobPlanner.fix(Phase.CLIENTS, List.of(
                fail(RuleId.SCHANNEL_TLS12_CLIENT, Phase.CLIENTS, Action.setDword(TLS12_CLIENT, "Enabled", 1))));
        assertThat(fine.refusal()).isEmpty();
    }

    @Test
    void hostileValuesFromAnEvaluationAreNeverPlannedIntoASignableJob() {
        List<RuleResult> hostile = TestRollout.hostileFindings();
        for (RuleResult result : hostile) {
            // Alone, and next to a legitimate finding: refused either way.
            assertThat(JobPlanner.fix(Phase.CLIENTS, List.of(result)).refusal()).as(result.actions().toString()).isPresent();
            assertThat(JobPlanner.fix(Phase.CLIENTS, List.of(
                    fail(RuleId.SCHANNEL_TLS12_CLIENT, Phase.CLIENTS, Action.setDword(TLS12_CLIENT, "Enabled", 1)),
                    result)).refusal()).as(result.actions().toString()).isPresent();
        }
        assertThat(JobPlanner.fix(Phase.CLIENTS, List.of(hostile.get(6))).refusal())
                .hasValueSatisfying(r -> assertThat(r).contains("UNDO_JOB", "catalog"));
        assertThat(JobPlanner.fix(Phase.CLIENTS, List.of(hostile.get(6))).actions()).isEmpty();
        // A KB the estate configures as a later rollup is allowed; the catalog's own updates always are.
        JobPlanner.Plan rollup = JobPlanner.fix(Phase.CLIENTS, List.of(hostile.get(5)));
        assertThat(rollup.refusal(Set.of("KB5000001"))).isEmpty();
        assertThat(rollup.refusal(Set.of())).hasValueSatisfying(r -> assertThat(r).contains("KB5000001"));
        // An action type the rule's catalog remediation does not name: the whole job is refused.
        assertThat(JobPlanner.fix(Phase.CLIENTS, List.of(fail(RuleId.DOTNET_VERSION, Phase.CLIENTS,
                Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1)))).refusal())
                .hasValueSatisfying(r -> assertThat(r).contains("DOTNET_VERSION", "SET_REGISTRY_DWORD"));
    }

    @Test
    void aRollbackUndoesEachSucceededJobNewestFirstThenRestartsAndSendsNoValue() {
        JobPlanner.Plan plan = JobPlanner.rollback(List.of(RuleId.SCHANNEL_TLS12_CLIENT), List.of("job-2", "job-1"),
                "rollback");
        assertThat(plan.actions()).containsExactly(Action.undoJob("job-2"), Action.undoJob("job-1"),
                Action.restart("rollback"));
        assertThat(plan.actions()).noneMatch(a -> a.type() == ActionType.SET_REGISTRY_DWORD);
        assertThat(plan.restart()).isTrue();
        assertThat(plan.rules()).containsExactly(RuleId.SCHANNEL_TLS12_CLIENT);
        assertThat(plan.refusal()).isEmpty();
        assertThat(JobPlanner.rollback(List.of(), List.of(), "r").isEmpty()).isTrue();
        assertThat(JobPlanner.rollback(List.of(), List.of("bad id!"), "r").refusal()).isPresent();
    }

    @Test
    void versionsCompareNumericallyPartByPart() {
        assertThat(org.tlsrollout.contracts.DottedVersions.compare("11.4.10000", "11.4.7001.0")).isPositive();
        assertThat(org.tlsrollout.contracts.DottedVersions.compare("4.8", "4.8.0")).isZero();
        assertThat(org.tlsrollout.contracts.DottedVersions.compare("13.0.5026.0", "13.2")).isNegative();
    }
}
