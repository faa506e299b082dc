package org.tlsrollout.rules.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrollout.rules.catalog.Catalogs.result;
import static org.tlsrollout.rules.catalog.Catalogs.set;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;

/**
 * 001: "You can make changes under Protocols to disable TLS 1.0 and TLS 1.1 after you have followed the rest of
 * the guidance in this article"; 002: "If you want to completely disable SSL 3.0 and TLS 1.0, use the SChannel
 * disabled protocols setting in Windows".
 */
class SchannelLegacyDisabledRuleTest {
    private static final RuleId ID = RuleId.SCHANNEL_LEGACY_DISABLED;
    private static final Action RESTART = Action.restart(SchannelTls12Rule.RESTART_REASON);
    private static final String[] PROTOCOLS = {"SSL 3.0", "TLS 1.0", "TLS 1.1"};
    private static final String[] SIDES = {"Client", "Server"};

    private static SnapshotBuilder allDisabled(SnapshotBuilder b) {
        for (String p : PROTOCOLS) {
            for (String s : SIDES) {
                b.reg(RegistryKeys.schannel(p, s), 0, 1);
            }
        }
        return b;
    }

    private static SnapshotBuilder siteSystem() {
        return SnapshotBuilder.server("6.3.9600", Role.SITE_SERVER);
    }

    @Test
    @DisplayName("002: \"disable SSL 3.0 and TLS 1.0, use the SChannel disabled protocols setting\": nothing set, all 6 keys fail")
    void nothingDisabledFailsEveryKey() {
        RuleResult r = result(siteSystem(), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        List<Action> expected = new ArrayList<>();
        for (String p : PROTOCOLS) {
            for (String s : SIDES) {
                expected.add(set(RegistryKeys.schannel(p, s), "Enabled", 0));
                expected.add(set(RegistryKeys.schannel(p, s), "DisabledByDefault", 1));
            }
        }
        expected.add(RESTART);
        assertThat(r.actions()).containsExactlyElementsOf(expected);
        assertThat(r.message()).contains(RegistryKeys.schannel("SSL 3.0", "Client") + ": Enabled absent",
                RegistryKeys.schannel("TLS 1.1", "Server"), "expected Enabled=0 and DisabledByDefault=1");
        assertThat(r.phase()).isEqualTo(Phase.DISABLE_LEGACY);
        assertThat(r.source()).isEqualTo("001, 002");
    }

    @Test
    @DisplayName("001: \"disable TLS 1.0 and TLS 1.1\" (and SSL 3.0): all disabled on both sides passes; SSL 2.0 is not asked")
    void allDisabledPasses() {
        RuleResult r = result(allDisabled(siteSystem()), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.PASS);
        assertThat(r.message()).contains("SSL 3.0, TLS 1.0 and TLS 1.1 are disabled");
    }

    @ParameterizedTest(name = "{0} {1}: Enabled {2}, DisabledByDefault {3}")
    @CsvSource({
        "TLS 1.1, Server, 1, 1",
        "TLS 1.0, Client, 0, 0",
        "SSL 3.0, Server, 4294967295, 1",
    })
    @DisplayName("rules.md: \"SCH(P,S) has Enabled=0 and DisabledByDefault=1\": one wrong key fails, fixed alone")
    void oneWrongKeyFailsAndIsFixedAlone(String protocol, String side, long enabled, long disabledByDefault) {
        String key = RegistryKeys.schannel(protocol, side);
        RuleResult r = result(allDisabled(siteSystem()).reg(key, enabled, disabledByDefault), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.actions()).containsExactly(set(key, "Enabled", 0), set(key, "DisabledByDefault", 1), RESTART);
        assertThat(r.message()).startsWith(key + ": Enabled=" + enabled + ", DisabledByDefault=" + disabledByDefault);
    }

    @Test
    @DisplayName("rules.md: both values must be set: an absent DisabledByDefault fails")
    void absentValueFails() {
        String key = RegistryKeys.schannel("TLS 1.0", "Server");
        RuleResult r = result(allDisabled(siteSystem()).unreg(key, "DisabledByDefault"), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.message()).contains(key + ": Enabled=0, DisabledByDefault absent");
    }

    @Test
    @DisplayName("rules.md: \"site systems; clients too when rules.disable-legacy.include-clients=true\"")
    void clientsOnlyWhenTheEstateOptsIn() {
        RuleResult r = result(SnapshotBuilder.win10().roles(Role.CLIENT, Role.ADMIN_CONSOLE), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.NOT_APPLICABLE);
        assertThat(r.phase()).isEqualTo(Phase.DISABLE_LEGACY);
        assertThat(r.message()).contains("include-clients");

        RuleCatalog optIn = new RuleCatalog(CatalogOptions.DEFAULTS.withIncludeClientsInDisableLegacy(true));
        assertThat(result(optIn, SnapshotBuilder.win10().build(), ID).status()).isEqualTo(RuleStatus.FAIL);
        assertThat(result(optIn, allDisabled(SnapshotBuilder.win10()).build(), ID).status()).isEqualTo(RuleStatus.PASS);
    }

    @Test
    @DisplayName("rules.md: UNKNOWN without the registry section")
    void unknownWithoutRegistry() {
        assertThat(result(siteSystem().noRegistry(), ID).status()).isEqualTo(RuleStatus.UNKNOWN);
    }
}
