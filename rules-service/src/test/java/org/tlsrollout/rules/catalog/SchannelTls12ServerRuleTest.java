package org.tlsrollout.rules.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrollout.rules.catalog.Catalogs.result;
import static org.tlsrollout.rules.catalog.Catalogs.set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;

/**
 * 004: "Ensure that TLS 1.2 is enabled as a protocol for SChannel at the operating system level" on "the site
 * servers and remote site systems"; rules.md: "the same, in SCH(TLS 1.2, Server)", for site systems.
 */
class SchannelTls12ServerRuleTest {
    static final String KEY = RegistryKeys.schannel(RegistryKeys.SCH_TLS12, RegistryKeys.SERVER);
    private static final RuleId ID = RuleId.SCHANNEL_TLS12_SERVER;

    @Test
    @DisplayName("rules.md: applies to site systems: a client (even with the console) is not applicable")
    void notApplicableOnClients() {
        RuleResult r = result(SnapshotBuilder.win7().roles(Role.CLIENT, Role.ADMIN_CONSOLE), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.NOT_APPLICABLE);
        assertThat(r.phase()).isEqualTo(Phase.CLIENTS);
    }

    @Test
    @DisplayName("001: \"TLS 1.2 is enabled by default\" on Server 2012 R2: absent values pass")
    void absentValuesPassFromOs62() {
        RuleResult r = result(SnapshotBuilder.server("6.3.9600", Role.MANAGEMENT_POINT), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.PASS);
        assertThat(r.phase()).isEqualTo(Phase.SITE_SYSTEMS);
        assertThat(result(SnapshotBuilder.server("6.2.9200", Role.MANAGEMENT_POINT), ID).status())
                .isEqualTo(RuleStatus.PASS);
    }

    @Test
    @DisplayName("rules.md: on OS 6.1 (Server 2008 R2) \"both values must be present\"; fix on the Server key")
    void server2008R2NeedsBothValues() {
        RuleResult r = result(SnapshotBuilder.server("6.1.7601", Role.DISTRIBUTION_POINT), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.actions()).containsExactly(set(KEY, "Enabled", 1), set(KEY, "DisabledByDefault", 0),
                Action.restart(SchannelTls12Rule.RESTART_REASON));
        assertThat(r.message()).contains(KEY, "off by default");
        assertThat(result(SnapshotBuilder.server("6.1.7601", Role.DISTRIBUTION_POINT).reg(KEY, 1, 0), ID).status())
                .isEqualTo(RuleStatus.PASS);
    }

    @Test
    @DisplayName("001: \"Verify the \\SecurityProviders\\SCHANNEL\\Protocols registry subkey\": disabled server side fails")
    void disabledServerSideFails() {
        RuleResult r = result(SnapshotBuilder.server("10.0.17763", Role.SITE_SERVER).reg(KEY, "DisabledByDefault", 1), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.message()).contains("DisabledByDefault = 1");
        // the client key does not stand in for the server key
        String clientKey = RegistryKeys.schannel(RegistryKeys.SCH_TLS12, RegistryKeys.CLIENT);
        assertThat(result(SnapshotBuilder.server("6.1.7601", Role.SITE_SERVER).reg(clientKey, 1, 0), ID).status())
                .isEqualTo(RuleStatus.FAIL);
    }
}
