package org.tlsrollout.rules.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrollout.rules.catalog.Catalogs.result;
import static org.tlsrollout.rules.catalog.Catalogs.set;

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
 * 001: "TLS 1.2 is enabled by default. Therefore, no change to these keys is required to enable it", which holds
 * from OS 6.2 on; rules.md departs from it on OS 6.1: "On OS 6.1 TLS 1.2 is off by default (KB3135244 FAQ ...),
 * so both values must be present: Enabled not 0 and DisabledByDefault 0".
 */
class SchannelTls12ClientRuleTest {
    static final String KEY = RegistryKeys.schannel(RegistryKeys.SCH_TLS12, RegistryKeys.CLIENT);
    private static final RuleId ID = RuleId.SCHANNEL_TLS12_CLIENT;
    private static final Action RESTART = Action.restart(SchannelTls12Rule.RESTART_REASON);

    /** Enabled / DisabledByDefault: a number, or "-" for absent. */
    @ParameterizedTest(name = "OS {0}, Enabled {1}, DisabledByDefault {2}: {3}")
    @CsvSource({
        // 001: "TLS 1.2 is enabled by default" (from OS 6.2 on): absent values keep the default, on
        "6.2.9200,   -, -, PASS",
        "6.3.9600,   -, -, PASS",
        "10.0.19045, -, -, PASS", // 10.0 > 6.2 numerically
        "10.0.19045, 1, -, PASS",
        "10.0.19045, -, 0, PASS",
        "10.0.19045, 1, 0, PASS",
        "10.0.19045, 4294967295, 0, PASS", // "Enabled not 0"
        "10.0.19045, 0, -, FAIL",
        "10.0.19045, -, 1, FAIL",
        "6.2.9200,   0, 0, FAIL",
        "6.3.9600,   1, 1, FAIL",
        // rules.md: on OS 6.1 "both values must be present: Enabled not 0 and DisabledByDefault 0"
        "6.1.7601,   -, -, FAIL",
        "6.1.7601,   1, -, FAIL",
        "6.1.7601,   -, 0, FAIL",
        "6.1.7601,   0, 0, FAIL",
        "6.1.7601,   1, 1, FAIL",
        "6.1.7601,   1, 0, PASS",
        "6.1.7601,   4294967295, 0, PASS",
    })
    void followsThePerOsDefault(String os, String enabled, String disabledByDefault, RuleStatus expected) {
        SnapshotBuilder b = SnapshotBuilder.snapshot().os(os);
        if (!"-".equals(enabled)) {
            b.reg(KEY, "Enabled", Long.parseLong(enabled));
        }
        if (!"-".equals(disabledByDefault)) {
            b.reg(KEY, "DisabledByDefault", Long.parseLong(disabledByDefault));
        }
        RuleResult r = result(b, ID);
        assertThat(r.status()).isEqualTo(expected);
        assertThat(r.message()).contains(KEY);
        if (expected == RuleStatus.FAIL) {
            assertThat(r.actions()).containsExactly(set(KEY, "Enabled", 1), set(KEY, "DisabledByDefault", 0), RESTART);
        }
    }

    @Test
    @DisplayName("rules.md: \"On OS 6.1 TLS 1.2 is off by default\": the message says what is absent and why")
    void win7MessageExplainsTheDefault() {
        RuleResult r = result(SnapshotBuilder.win7(), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.message()).contains("Enabled absent", "DisabledByDefault absent", "off by default");
        assertThat(r.source()).isEqualTo("001, 004");
    }

    @Test
    @DisplayName("001: \"Verify the \\SecurityProviders\\SCHANNEL\\Protocols registry subkey\": a disabled value fails")
    void explicitDisableFailsWithItsValues() {
        RuleResult r = result(SnapshotBuilder.win10().reg(KEY, 0, 1), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.message()).contains("Enabled = 0", "DisabledByDefault = 1",
                "expected Enabled absent or not 0 and DisabledByDefault absent or 0");
    }

    @Test
    @DisplayName("rules.md: applies to \"all\": a site system is checked too, in SITE_SYSTEMS; the Server key does not count")
    void appliesToSiteSystemsInTheirPhase() {
        String serverKey = RegistryKeys.schannel(RegistryKeys.SCH_TLS12, RegistryKeys.SERVER);
        RuleResult r = result(SnapshotBuilder.server("6.3.9600", Role.DISTRIBUTION_POINT).reg(KEY, 0, 0)
                .reg(serverKey, 1, 0), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.phase()).isEqualTo(Phase.SITE_SYSTEMS);
        assertThat(result(SnapshotBuilder.win10().reg(serverKey, 0, 1), ID).status()).isEqualTo(RuleStatus.PASS);
    }

    @Test
    @DisplayName("registry key paths and value names are case-insensitive")
    void readsCaseInsensitively() {
        RuleResult r = result(SnapshotBuilder.win10().reg(KEY.toLowerCase(), "ENABLED", 0), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
    }

    @Test
    @DisplayName("rules.md: UNKNOWN without the registry section or the OS version")
    void unknownWithoutRegistryOrOs() {
        assertThat(result(SnapshotBuilder.win10().noRegistry(), ID).status()).isEqualTo(RuleStatus.UNKNOWN);
        assertThat(result(SnapshotBuilder.snapshot().noOs(), ID).status()).isEqualTo(RuleStatus.UNKNOWN);
    }
}
