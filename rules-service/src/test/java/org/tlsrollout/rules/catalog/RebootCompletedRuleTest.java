package org.tlsrollout.rules.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrollout.rules.catalog.Catalogs.result;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.ActionType;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;

/**
 * 000: "This value disables the RC4 stream cipher and requires a restart"; 002: "If you change this value,
 * restart the computer".
 */
class RebootCompletedRuleTest {
    private static final RuleId ID = RuleId.REBOOT_COMPLETED;

    @Test
    @DisplayName("000: \"requires a restart\": a pending reboot fails with RESTART")
    void pendingRebootFails() {
        RuleResult r = result(SnapshotBuilder.win10().pendingReboot(true), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.actions()).extracting(Action::type).containsExactly(ActionType.RESTART);
        assertThat(r.actions().get(0).reason()).isNotBlank();
        assertThat(r.message()).contains("pendingReboot true");
        assertThat(r.phase()).isEqualTo(Phase.VERIFY);
        assertThat(r.source()).isEqualTo("000, 002");
    }

    @Test
    @DisplayName("rules.md: \"pendingReboot is absent or false\" passes")
    void absentOrFalsePasses() {
        assertThat(result(SnapshotBuilder.win10().pendingReboot(false), ID).status()).isEqualTo(RuleStatus.PASS);
        RuleResult absent = result(SnapshotBuilder.win10().pendingReboot(null), ID);
        assertThat(absent.status()).isEqualTo(RuleStatus.PASS);
        assertThat(absent.message()).contains("not reported");
    }

    @Test
    @DisplayName("rules.md: VERIFY rules are evaluated on all machines, site systems included, in VERIFY")
    void siteSystemsInVerify() {
        RuleResult r = result(SnapshotBuilder.server("6.3.9600", Role.SITE_SERVER).pendingReboot(true), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.phase()).isEqualTo(Phase.VERIFY);
    }
}
