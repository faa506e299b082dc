package org.tlsrollout.rules.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrollout.contracts.RegistryKeys.NET2;
import static org.tlsrollout.contracts.RegistryKeys.NET2_WOW;
import static org.tlsrollout.contracts.RegistryKeys.NET4;
import static org.tlsrollout.contracts.RegistryKeys.NET4_WOW;
import static org.tlsrollout.rules.catalog.Catalogs.result;
import static org.tlsrollout.rules.catalog.Catalogs.set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;

/**
 * The cases both .NET registry rules must meet (000: "For 32-bit applications that are running on 32-bit OSs and
 * for 64-bit applications that are running on 64-bit OSs, update the following subkey values ... For 32-bit
 * applications that are running on 64-bit OSs, update the following subkey values"). Subclasses name the rule,
 * its value, and the other rule's value.
 */
abstract class DotNetRegistryRuleContract {
    private static final Action RESTART = Action.restart(DotNetRegistryRule.RESTART_REASON);

    abstract RuleId id();

    abstract String name();

    /** The value of the other .NET rule, which must not stand in for this one. */
    abstract String otherName();

    private SnapshotBuilder all(SnapshotBuilder b, String name, long value) {
        return b.reg(NET4, name, value).reg(NET2, name, value).reg(NET4_WOW, name, value).reg(NET2_WOW, name, value);
    }

    @Test
    @DisplayName("000: \"dword:00000001\" in NET2, NET4 and both Wow6432Node keys on x64: PASS")
    void allFourKeysSetPass() {
        RuleResult r = result(all(SnapshotBuilder.win10(), name(), 1), id());
        assertThat(r.status()).isEqualTo(RuleStatus.PASS);
        assertThat(r.message()).contains(name() + " = 1", "NET4-WOW");
    }

    @Test
    @DisplayName("000: every absent value fails and is set to 1, in NET4, NET2, NET4-WOW, NET2-WOW order; then RESTART")
    void absentValuesFailEach() {
        RuleResult r = result(SnapshotBuilder.win7(), id());
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.actions()).containsExactly(set(NET4, name(), 1), set(NET2, name(), 1),
                set(NET4_WOW, name(), 1), set(NET2_WOW, name(), 1), RESTART);
        assertThat(r.message()).contains(NET4 + " " + name() + " is absent", NET2_WOW + " " + name() + " is absent",
                "expected " + name() + " = 1 in each");
    }

    @Test
    @DisplayName("rules.md: \"SET each failing value to 1\": only the wrong value is written")
    void onlyTheFailingValueIsSet() {
        RuleResult r = result(all(SnapshotBuilder.win10(), name(), 1).reg(NET4, name(), 0), id());
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.actions()).containsExactly(set(NET4, name(), 1), RESTART);
        assertThat(r.message()).contains(NET4 + " " + name() + " = 0").doesNotContain(NET2);
    }

    @Test
    @DisplayName("rules.md: \"= 1\": another non-zero value fails too")
    void anotherNonZeroValueFails() {
        RuleResult r = result(all(SnapshotBuilder.win10(), name(), 1).reg(NET2_WOW, name(), 2), id());
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.actions()).containsExactly(set(NET2_WOW, name(), 1), RESTART);
    }

    @Test
    @DisplayName("000: the Wow6432Node keys are \"for 32-bit applications that are running on 64-bit OSs\": x64 only")
    void wowKeysOnlyOnX64() {
        SnapshotBuilder nativeOnly = SnapshotBuilder.win10().reg(NET4, name(), 1).reg(NET2, name(), 1);
        RuleResult x64 = result(nativeOnly, id());
        assertThat(x64.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(x64.actions()).containsExactly(set(NET4_WOW, name(), 1), set(NET2_WOW, name(), 1), RESTART);

        RuleResult x86 = result(SnapshotBuilder.win10().x86().reg(NET4, name(), 1).reg(NET2, name(), 1), id());
        assertThat(x86.status()).isEqualTo(RuleStatus.PASS);
        assertThat(x86.message()).contains("x86");

        RuleResult x86Absent = result(SnapshotBuilder.win7().x86(), id());
        assertThat(x86Absent.actions()).containsExactly(set(NET4, name(), 1), set(NET2, name(), 1), RESTART);
    }

    @Test
    @DisplayName("000 writes both \"Wow6432Node\" and \"WOW6432Node\": keys are read case-insensitively")
    void wowSpellingDoesNotMatter() {
        RuleResult r = result(SnapshotBuilder.win10().reg(NET4, name(), 1).reg(NET2, name(), 1)
                .reg(NET4_WOW.replace("Wow6432Node", "WOW6432Node"), name(), 1)
                .reg(NET2_WOW.toUpperCase(), name().toLowerCase(), 1), id());
        assertThat(r.status()).isEqualTo(RuleStatus.PASS);
    }

    @Test
    @DisplayName("each rule reads its own value: the other .NET value does not stand in for it")
    void otherValueDoesNotCount() {
        RuleResult r = result(all(SnapshotBuilder.win10(), otherName(), 1), id());
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.actions()).hasSize(5);
    }

    @Test
    @DisplayName("rules.md: applies to all, in the phase of the machine's class; UNKNOWN without registry")
    void inThePhaseOfTheMachineClassUnknownWithoutRegistry() {
        RuleResult site = result(SnapshotBuilder.server("6.3.9600", Role.SOFTWARE_UPDATE_POINT), id());
        assertThat(site.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(site.phase()).isEqualTo(Phase.SITE_SYSTEMS);
        assertThat(site.source()).isEqualTo("000, 001, 003");
        assertThat(result(SnapshotBuilder.win10().noRegistry(), id()).status()).isEqualTo(RuleStatus.UNKNOWN);
    }
}
