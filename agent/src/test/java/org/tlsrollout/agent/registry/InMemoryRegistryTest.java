package org.tlsrollout.agent.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.RegistryKeys;

class InMemoryRegistryTest {
    @Test
    void keysAndNamesAreCaseInsensitiveAsInWindows() {
        InMemoryRegistry r = new InMemoryRegistry();
        r.writeDword("HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework\\v4.0.30319", "schusestrongcrypto", 1);
        assertThat(r.readDword(RegistryKeys.NET4_WOW, RegistryKeys.SCH_USE_STRONG_CRYPTO)).hasValue(1);
        assertThat(r.readKey(RegistryKeys.NET4_WOW.toUpperCase())).contains(Map.of("SchUseStrongCrypto", 1L));
    }

    @Test
    void fullDwordRangeAndOtherValues() {
        InMemoryRegistry r = new InMemoryRegistry()
                .put(RegistryKeys.schannel("TLS 1.0", "Server"), "Enabled", 0xFFFF_FFFFL)
                .put(RegistryKeys.NET4, "AspNetEnforceViewStateMac", 1);
        assertThat(r.readDword(RegistryKeys.schannel("TLS 1.0", "Server"), "enabled")).hasValue(0xFFFF_FFFFL);
        assertThat(r.readKey(RegistryKeys.NET4)).contains(Map.of("AspNetEnforceViewStateMac", 1L));
        r.remove(RegistryKeys.NET4, "aspnetenforceviewstatemac");
        assertThat(r.readKey(RegistryKeys.NET4)).isEmpty();
    }

    @Test
    void writesOutsideTheAllowlistAreRefused() {
        InMemoryRegistry r = new InMemoryRegistry();
        assertThatThrownBy(() -> r.writeDword(RegistryKeys.FIPS, RegistryKeys.ENABLED, 0))
                .isInstanceOf(RegistryWriteRefusedException.class);
        assertThatThrownBy(() -> r.writeDword(RegistryKeys.NET4, "OnlyUseLatestCLR", 1))
                .isInstanceOf(RegistryWriteRefusedException.class);
        assertThat(r.asMap()).isEmpty();
    }

    @Test
    void reportedKeysLeaveOutWowOnX86() {
        InMemoryRegistry r = new InMemoryRegistry()
                .put(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1)
                .put(RegistryKeys.NET4_WOW, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1)
                .put("HKLM\\SOFTWARE\\Policies\\Other", "Value", 1);
        assertThat(r.readReportedKeys(true)).containsOnlyKeys(RegistryKeys.NET4, RegistryKeys.NET4_WOW);
        assertThat(r.readReportedKeys(false)).containsOnlyKeys(RegistryKeys.NET4);
    }
}
