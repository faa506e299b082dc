package org.tlsrollout.rules.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrollout.rules.catalog.Catalogs.result;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;

/**
 * 004: "Finally, test client to site system communications before potentially disabling the older protocols on
 * the server side."
 */
class Tls12HandshakeRuleTest {
    private static final RuleId ID = RuleId.TLS12_HANDSHAKE;

    @Test
    @DisplayName("004: \"test client to site system communications\": every probe ok passes")
    void allProbesOkPass() {
        RuleResult r = result(SnapshotBuilder.win10().probe("https://cm-mp01.corp.example", true, null)
                .probe("https://cm-dp01.corp.example", true, null), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.PASS);
        assertThat(r.message()).contains("2 TLS 1.2-only handshakes succeeded");
        assertThat(r.phase()).isEqualTo(Phase.VERIFY);
        assertThat(r.source()).isEqualTo("004");
    }

    @Test
    @DisplayName("004: a failed handshake fails with RUN_PROBES; the message names the target and its error")
    void oneFailedProbeFails() {
        RuleResult r = result(SnapshotBuilder.win10().probe("https://cm-mp01.corp.example", true, null)
                .probe("https://cm-dp01.corp.example", false, "SEC_E_ALGORITHM_MISMATCH"), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.actions()).containsExactly(Action.runProbes());
        assertThat(r.message()).contains("https://cm-dp01.corp.example", "SEC_E_ALGORITHM_MISMATCH")
                .doesNotContain("cm-mp01");
    }

    @Test
    @DisplayName("rules.md: \"probes is non-empty\" (empty: FAIL) and \"No probes: UNKNOWN\"")
    void emptyFailsAbsentUnknown() {
        RuleResult empty = result(SnapshotBuilder.win10().emptyProbes(), ID);
        assertThat(empty.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(empty.actions()).containsExactly(Action.runProbes());
        assertThat(empty.message()).contains("no TLS 1.2-only handshake probe");
        RuleResult absent = result(SnapshotBuilder.win10(), ID);
        assertThat(absent.status()).isEqualTo(RuleStatus.UNKNOWN);
        assertThat(absent.message()).contains("no probes reported");
    }

    @Test
    @DisplayName("rules.md: VERIFY on all machines: a site system's SQL probe counts too")
    void aSiteSystemsSqlProbeCountsToo() {
        RuleResult r = result(SnapshotBuilder.server("6.3.9600", Role.SITE_SERVER)
                .probe("cm-sql01.corp.example:1433", false, "connection reset"), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.phase()).isEqualTo(Phase.VERIFY);
    }
}
