package org.tlsrollout.rules.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrollout.contracts.RegistryKeys.DEFAULT_SECURE_PROTOCOLS;
import static org.tlsrollout.contracts.RegistryKeys.WINHTTP;
import static org.tlsrollout.contracts.RegistryKeys.WINHTTP_WOW;
import static org.tlsrollout.rules.catalog.Catalogs.result;
import static org.tlsrollout.rules.catalog.Catalogs.set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;

/**
 * 002: "Verify the value of the DefaultSecureProtocols registry setting ... 0xAA0" in WinHttp and its
 * Wow6432Node twin; "You can use the value of 0xA00 to only enable TLS 1.1 and TLS 1.2"; "If you change this
 * value, restart the computer".
 */
class WinHttpDefaultSecureProtocolsRuleTest {
    private static final RuleId ID = RuleId.WINHTTP_DEFAULT_SECURE_PROTOCOLS;
    private static final Action RESTART = Action.restart(WinHttpDefaultSecureProtocolsRule.RESTART_REASON);

    @Test
    @DisplayName("002: \"DefaultSecureProtocols = (DWORD): 0xAA0\" in both keys: absent values fail, set to 0xAA0, restart")
    void absentValuesFailAndAreSetTo0xAA0() {
        RuleResult r = result(SnapshotBuilder.win7(), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.actions()).containsExactly(
                set(WINHTTP, DEFAULT_SECURE_PROTOCOLS, 0xAA0),
                set(WINHTTP_WOW, DEFAULT_SECURE_PROTOCOLS, 0xAA0),
                RESTART);
        assertThat(r.message()).contains(WINHTTP + " DefaultSecureProtocols is absent",
                WINHTTP_WOW + " DefaultSecureProtocols is absent", "expected bit 0x800");
    }

    @ParameterizedTest(name = "native {0}, wow {1}: {2}")
    @CsvSource({
        "0xAA0, 0xAA0, PASS",  // 002: the example 0xAA0
        "0xA00, 0xA00, PASS",  // 002: "the value of 0xA00 to only enable TLS 1.1 and TLS 1.2"
        "0x800, 0xA80, PASS",  // rules.md: only bit 0x800 (TLS 1.2) counts
        "0x0A0, 0xAA0, FAIL",  // 002: "By default in Windows, this value is 0x0A0"
        "0xAA0, 0x200, FAIL",  // TLS 1.1 alone
    })
    @DisplayName("rules.md: \"has bit 0x800 (TLS 1.2) set, and so does WINHTTP-WOW on x64\"")
    void bit0x800DecidesOnBothKeys(String nativeValue, String wowValue, RuleStatus expected) {
        RuleResult r = result(SnapshotBuilder.win8()
                .reg(WINHTTP, DEFAULT_SECURE_PROTOCOLS, Long.decode(nativeValue))
                .reg(WINHTTP_WOW, DEFAULT_SECURE_PROTOCOLS, Long.decode(wowValue)), ID);
        assertThat(r.status()).isEqualTo(expected);
    }

    @Test
    @DisplayName("rules.md: \"SET each failing value to current OR 0xA00\": only the failing key, other bits kept")
    void failingValueIsOredWith0xA00() {
        RuleResult r = result(SnapshotBuilder.win7()
                .reg(WINHTTP, DEFAULT_SECURE_PROTOCOLS, 0xAA0)
                .reg(WINHTTP_WOW, DEFAULT_SECURE_PROTOCOLS, 0x2080), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.actions()).containsExactly(set(WINHTTP_WOW, DEFAULT_SECURE_PROTOCOLS, 0x2A80), RESTART);
        assertThat(r.message()).contains(WINHTTP_WOW + " DefaultSecureProtocols = 0x2080, without bit 0x800")
                .doesNotContain(WINHTTP + " DefaultSecureProtocols").doesNotContain("dropped");
    }

    @Test
    @DisplayName("rules.md: the allowlist pins DefaultSecureProtocols to \"no bit outside 0x2AA0\": SSL 2.0 (0x008) is dropped")
    void bitsOutsideTheAllowlistAreDropped() {
        RuleResult r = result(SnapshotBuilder.win7()
                .reg(WINHTTP, DEFAULT_SECURE_PROTOCOLS, 0xAA0)
                .reg(WINHTTP_WOW, DEFAULT_SECURE_PROTOCOLS, 0x0A8), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.actions()).containsExactly(set(WINHTTP_WOW, DEFAULT_SECURE_PROTOCOLS, 0xAA0), RESTART);
        assertThat(r.message()).contains("0x0A8", "outside 0x2AA0", "dropped");
    }

    @Test
    @DisplayName("rules.md: \"The -WOW keys apply only when os.architecture is x64\"")
    void wowKeyOnlyOnX64() {
        RuleResult pass = result(SnapshotBuilder.win7().x86().reg(WINHTTP, DEFAULT_SECURE_PROTOCOLS, 0xAA0), ID);
        assertThat(pass.status()).isEqualTo(RuleStatus.PASS);
        assertThat(pass.message()).contains("0xAA0").doesNotContain("Wow6432Node");

        RuleResult fail = result(SnapshotBuilder.win7().x86(), ID);
        assertThat(fail.actions()).containsExactly(set(WINHTTP, DEFAULT_SECURE_PROTOCOLS, 0xAA0), RESTART);

        RuleResult x64 = result(SnapshotBuilder.win7().reg(WINHTTP, DEFAULT_SECURE_PROTOCOLS, 0xAA0), ID);
        assertThat(x64.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(x64.actions()).containsExactly(set(WINHTTP_WOW, DEFAULT_SECURE_PROTOCOLS, 0xAA0), RESTART);
    }

    @Test
    @DisplayName("002: \"Windows 8.1, Windows Server 2012 R2, Windows 10 ... natively support TLS 1.2\": not applicable")
    void notApplicableFromOs63() {
        RuleResult r = result(SnapshotBuilder.snapshot().os("6.3.9600"), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.NOT_APPLICABLE);
        assertThat(r.message()).contains("supports TLS 1.2 natively");
        assertThat(result(SnapshotBuilder.win10(), ID).status()).isEqualTo(RuleStatus.NOT_APPLICABLE);
    }

    @Test
    @DisplayName("001: \"and earlier versions of Windows don't enable TLS 1.1 or 1.2 by default\": OS 6.0 is not told "
            + "otherwise, nor offered KB3140245")
    void os60IsNotApplicableAndToldTheTruth() {
        RuleResult r = result(SnapshotBuilder.snapshot().os("6.0.6003"), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.NOT_APPLICABLE);
        assertThat(r.message()).contains("OS 6.0.6003", "does not enable TLS 1.2 by default", "no WinHTTP update")
                .doesNotContain("natively").doesNotContain("enables TLS 1.2 by default");
    }

    @Test
    @DisplayName("rules.md: UNKNOWN without the registry section")
    void unknownWithoutRegistry() {
        RuleResult r = result(SnapshotBuilder.win7().noRegistry(), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.UNKNOWN);
        assertThat(r.message()).contains("registry section not reported");
    }

    @Test
    @DisplayName("key paths and value names are read case-insensitively, as Windows does")
    void readsCaseInsensitively() {
        RuleResult r = result(SnapshotBuilder.win7()
                .reg(WINHTTP.toUpperCase(), "defaultsecureprotocols", 0xAA0)
                .reg(WINHTTP_WOW.replace("Wow6432Node", "WOW6432Node"), "DefaultSecureProtocols", 0xAA0), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.PASS);
    }
}
