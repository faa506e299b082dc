package org.tlsrollout.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.MachineClass;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;

/**
 * The benchmarks' one machine: a Windows 7 client before the rollout as rules-service evaluates it, 17 results of
 * which 6 FAIL in CLIENTS with their actions (7 registry writes, 2 installs, restarts; about 3 KB of JSON). B3 seeds
 * its estate from it, B7 sends it through Kafka.
 */
final class Win7Client {
    private Win7Client() {
    }

    /** The evaluation of machine {@code machineId} at {@code site}, collected 5 seconds ago. */
    static EvaluationEvent evaluation(String machineId, String site) {
        Instant collectedAt = Instant.now().minusSeconds(5);
        String net4 = "HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319";
        String sch = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client";
        List<RuleResult> results = List.of(
                fail(RuleId.WINHTTP_KB3140245, "KB3140245 is not installed", "001, 002, 003",
                        List.of(Action.installUpdate("KB3140245"))),
                fail(RuleId.WINHTTP_DEFAULT_SECURE_PROTOCOLS,
                        "DefaultSecureProtocols is absent in WinHttp (TLS 1.2 bit 0x800 not set)", "001, 002, 003",
                        List.of(Action.setDword("HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Internet Settings"
                                + "\\WinHttp", "DefaultSecureProtocols", 0xAA0), Action.restart("WinHTTP"))),
                fail(RuleId.SCHANNEL_TLS12_CLIENT, "TLS 1.2 is off by default on OS 6.1", "001, 004",
                        List.of(Action.setDword(sch, "Enabled", 1), Action.setDword(sch, "DisabledByDefault", 0),
                                Action.restart("SChannel"))),
                fail(RuleId.DOTNET_VERSION, ".NET Framework 4.5.2 (379893) is older than 4.6.2", "000, 001, 003",
                        List.of(Action.installSoftware("dotnet-framework", "4.8"))),
                fail(RuleId.DOTNET_STRONG_CRYPTO, "SchUseStrongCrypto is not 1 in 2 keys", "000, 001, 003",
                        List.of(Action.setDword(net4, "SchUseStrongCrypto", 1),
                                Action.setDword(net4.replace("v4.0.30319", "v2.0.50727"), "SchUseStrongCrypto", 1),
                                Action.restart(".NET"))),
                fail(RuleId.DOTNET_SYSTEM_DEFAULT_TLS, "SystemDefaultTlsVersions is not 1 in 2 keys", "000, 001, 003",
                        List.of(Action.setDword(net4, "SystemDefaultTlsVersions", 1),
                                Action.setDword(net4.replace("v4.0.30319", "v2.0.50727"), "SystemDefaultTlsVersions", 1),
                                Action.restart(".NET"))),
                result(RuleId.SCHANNEL_TLS12_SERVER, RuleStatus.NOT_APPLICABLE, Phase.SITE_SYSTEMS),
                result(RuleId.SQL_SERVER_TLS12, RuleStatus.NOT_APPLICABLE, Phase.SITE_SYSTEMS),
                result(RuleId.SQL_SECONDARY_SITE_VERSION, RuleStatus.NOT_APPLICABLE, Phase.SITE_SYSTEMS),
                result(RuleId.SQL_NATIVE_CLIENT, RuleStatus.NOT_APPLICABLE, Phase.SITE_SYSTEMS),
                result(RuleId.WSUS_TLS12_UPDATE, RuleStatus.NOT_APPLICABLE, Phase.SITE_SYSTEMS),
                result(RuleId.FIPS_POLICY, RuleStatus.PASS, Phase.CLIENTS),
                result(RuleId.DOTNET_48_CONSOLE, RuleStatus.NOT_APPLICABLE, Phase.CLIENTS),
                result(RuleId.REBOOT_COMPLETED, RuleStatus.PASS, Phase.VERIFY),
                result(RuleId.TLS12_HANDSHAKE, RuleStatus.PASS, Phase.VERIFY),
                result(RuleId.KNOWN_TLS_ERRORS, RuleStatus.PASS, Phase.VERIFY),
                result(RuleId.SCHANNEL_LEGACY_DISABLED, RuleStatus.NOT_APPLICABLE, Phase.DISABLE_LEGACY));
        Map<Phase, PhaseState> phases = new EnumMap<>(Phase.class);
        phases.put(Phase.CLIENTS, PhaseState.NONCOMPLIANT);
        phases.put(Phase.SITE_SYSTEMS, PhaseState.NOT_APPLICABLE);
        phases.put(Phase.VERIFY, PhaseState.COMPLIANT);
        phases.put(Phase.DISABLE_LEGACY, PhaseState.NOT_APPLICABLE);
        return new EvaluationEvent(machineId, site, UUID.randomUUID().toString(), collectedAt, "1",
                MachineClass.CLIENT, results, phases, collectedAt.plusSeconds(1), collectedAt.plusSeconds(2), "6.1",
                List.of(Role.CLIENT), collectedAt.minus(Duration.ofDays(3)), 42L);
    }

    private static RuleResult fail(RuleId rule, String message, String source, List<Action> actions) {
        return new RuleResult(rule, RuleStatus.FAIL, rule.severity(), Phase.CLIENTS, message, source, actions);
    }

    private static RuleResult result(RuleId rule, RuleStatus status, Phase phase) {
        return new RuleResult(rule, status, rule.severity(), phase, rule + " is " + status, null, List.of());
    }
}
