package org.tlsrollout.rules.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrollout.contracts.RuleId.DOTNET_STRONG_CRYPTO;
import static org.tlsrollout.contracts.RuleId.DOTNET_SYSTEM_DEFAULT_TLS;
import static org.tlsrollout.contracts.RuleId.DOTNET_VERSION;
import static org.tlsrollout.contracts.RuleId.SCHANNEL_LEGACY_DISABLED;
import static org.tlsrollout.contracts.RuleId.SCHANNEL_TLS12_CLIENT;
import static org.tlsrollout.contracts.RuleId.TLS12_HANDSHAKE;
import static org.tlsrollout.contracts.RuleId.WINHTTP_DEFAULT_SECURE_PROTOCOLS;
import static org.tlsrollout.contracts.RuleId.WINHTTP_KB3140245;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.Examples;
import org.tlsrollout.contracts.MachineClass;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;
import org.tlsrollout.contracts.SnapshotSchema;

/** contract/examples/README.md: what the catalog says of each example snapshot. */
class ContractExamplesTest {
    private static final SnapshotSchema SCHEMA = new SnapshotSchema();
    private static final Instant NOW = Instant.parse("2026-11-19T10:00:00Z");

    static MachineSnapshot example(String name) {
        SnapshotSchema.Result r = SCHEMA.check(Examples.json(name));
        assertThat(r.errors()).isEmpty();
        return r.snapshot();
    }

    private static Set<RuleId> failing(EvaluationEvent e) {
        Set<RuleId> ids = EnumSet.noneOf(RuleId.class);
        for (RuleResult r : e.results()) {
            if (r.status() == RuleStatus.FAIL) {
                ids.add(r.ruleId());
            }
        }
        return ids;
    }

    private static RuleResult of(EvaluationEvent e, RuleId id) {
        return e.results().get(id.ordinal());
    }

    @Test
    @DisplayName("win7-client-before: CLIENTS fails the WinHTTP, SChannel and .NET rules; VERIFY fails TLS12_HANDSHAKE")
    void win7ClientBefore() {
        EvaluationEvent e = new RuleCatalog().evaluate(example(Examples.WIN7_CLIENT_BEFORE), NOW);
        assertThat(failing(e)).containsExactlyInAnyOrder(WINHTTP_KB3140245, WINHTTP_DEFAULT_SECURE_PROTOCOLS,
                SCHANNEL_TLS12_CLIENT, DOTNET_VERSION, DOTNET_STRONG_CRYPTO, DOTNET_SYSTEM_DEFAULT_TLS, TLS12_HANDSHAKE);
        assertThat(e.phases()).containsExactly(
                entry(Phase.CLIENTS, PhaseState.NONCOMPLIANT),
                entry(Phase.SITE_SYSTEMS, PhaseState.NOT_APPLICABLE),
                entry(Phase.VERIFY, PhaseState.NONCOMPLIANT),
                entry(Phase.DISABLE_LEGACY, PhaseState.NOT_APPLICABLE));
        assertThat(e.machineClass()).isEqualTo(MachineClass.CLIENT);
        assertThat(of(e, DOTNET_VERSION).message()).contains("379893", "4.5.2");
        assertThat(of(e, WINHTTP_DEFAULT_SECURE_PROTOCOLS).actions()).containsExactly(
                Action.setDword(RegistryKeys.WINHTTP, RegistryKeys.DEFAULT_SECURE_PROTOCOLS, 0xAA0),
                Action.setDword(RegistryKeys.WINHTTP_WOW, RegistryKeys.DEFAULT_SECURE_PROTOCOLS, 0xAA0),
                Action.restart(WinHttpDefaultSecureProtocolsRule.RESTART_REASON));
        assertThat(of(e, DOTNET_STRONG_CRYPTO).message()).contains(RegistryKeys.NET4 + " SchUseStrongCrypto = 0");
        assertThat(of(e, TLS12_HANDSHAKE).message()).contains("SEC_E_ALGORITHM_MISMATCH");
        assertThat(of(e, RuleId.KNOWN_TLS_ERRORS).status()).isEqualTo(RuleStatus.PASS);
        assertThat(of(e, RuleId.REBOOT_COMPLETED).status()).isEqualTo(RuleStatus.PASS);
    }

    @Test
    @DisplayName("win10-client-done: a Windows 10 client with the console; every ERROR rule passes (and no WARNING fails)")
    void win10ClientDone() {
        EvaluationEvent e = new RuleCatalog().evaluate(example(Examples.WIN10_CLIENT_DONE), NOW);
        assertThat(failing(e)).isEmpty();
        assertThat(e.phases()).containsExactly(
                entry(Phase.CLIENTS, PhaseState.COMPLIANT),
                entry(Phase.SITE_SYSTEMS, PhaseState.NOT_APPLICABLE),
                entry(Phase.VERIFY, PhaseState.COMPLIANT),
                entry(Phase.DISABLE_LEGACY, PhaseState.NOT_APPLICABLE));
        assertThat(of(e, RuleId.DOTNET_48_CONSOLE).status()).isEqualTo(RuleStatus.PASS);
        assertThat(of(e, RuleId.FIPS_POLICY).status()).isEqualTo(RuleStatus.PASS);
        assertThat(of(e, SCHANNEL_TLS12_CLIENT).status()).isEqualTo(RuleStatus.PASS);
        assertThat(of(e, WINHTTP_KB3140245).status()).isEqualTo(RuleStatus.NOT_APPLICABLE);
    }

    @Test
    @DisplayName("server2012r2-primary-site: every ENABLE and VERIFY rule passes; DISABLE_LEGACY fails SCHANNEL_LEGACY_DISABLED")
    void server2012R2PrimarySite() {
        EvaluationEvent e = new RuleCatalog().evaluate(example(Examples.SERVER2012R2_PRIMARY_SITE), NOW);
        assertThat(failing(e)).containsExactly(SCHANNEL_LEGACY_DISABLED);
        assertThat(e.phases()).containsExactly(
                entry(Phase.CLIENTS, PhaseState.NOT_APPLICABLE),
                entry(Phase.SITE_SYSTEMS, PhaseState.COMPLIANT),
                entry(Phase.VERIFY, PhaseState.COMPLIANT),
                entry(Phase.DISABLE_LEGACY, PhaseState.NONCOMPLIANT));
        assertThat(e.machineClass()).isEqualTo(MachineClass.SITE_SYSTEM);
        // the rules that concern this primary site's roles were evaluated, not skipped
        for (RuleId id : new RuleId[] {RuleId.SQL_SERVER_TLS12, RuleId.SQL_NATIVE_CLIENT, RuleId.WSUS_TLS12_UPDATE,
            RuleId.SCHANNEL_TLS12_SERVER, DOTNET_STRONG_CRYPTO, TLS12_HANDSHAKE}) {
            assertThat(of(e, id).status()).as("%s", id).isEqualTo(RuleStatus.PASS);
        }
        assertThat(of(e, RuleId.SQL_SERVER_TLS12).message()).contains("12.0.6024.0", "SQL Server 2014 SP2 and later");
        assertThat(of(e, RuleId.SQL_SECONDARY_SITE_VERSION).status()).isEqualTo(RuleStatus.NOT_APPLICABLE);
        assertThat(of(e, SCHANNEL_LEGACY_DISABLED).actions()).hasSize(13);
    }

    @Test
    @DisplayName("api.md: the evaluation carries the snapshot's identity, the catalog version and the event additions")
    void theEvaluationCarriesTheSnapshotsIdentityCatalogVersionAndAdditions() {
        MachineSnapshot s = example(Examples.WIN7_CLIENT_BEFORE).received("snap-1", Instant.parse("2026-11-18T14:02:12Z"));
        EvaluationEvent e = new RuleCatalog().evaluate(s, NOW);
        assertThat(e.machineId()).isEqualTo("4C4C4544-0031-3510-8052-B4C04F4D3232");
        assertThat(e.siteCode()).isEqualTo("NYC");
        assertThat(e.snapshotId()).isEqualTo("snap-1");
        assertThat(e.collectedAt()).isEqualTo(Instant.parse("2026-11-18T14:02:11Z"));
        assertThat(e.receivedAt()).isEqualTo(Instant.parse("2026-11-18T14:02:12Z"));
        assertThat(e.evaluatedAt()).isEqualTo(NOW);
        assertThat(e.catalogVersion()).isEqualTo("1");
        assertThat(e.osVersion()).isEqualTo("6.1.7601");
        assertThat(e.roles()).containsExactly(org.tlsrollout.contracts.Role.CLIENT);
        assertThat(e.lastBootAt()).isEqualTo(Instant.parse("2026-11-17T07:55:00Z"));
        assertThat(e.sequence()).isEqualTo(17L);
        assertThat(e.results()).hasSize(RuleId.values().length);
    }

    private static java.util.Map.Entry<Phase, PhaseState> entry(Phase p, PhaseState s) {
        return java.util.Map.entry(p, s);
    }
}
