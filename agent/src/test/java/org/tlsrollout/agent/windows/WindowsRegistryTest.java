package org.tlsrollout.agent.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.tlsrollout.agent.registry.RegistryException;
import org.tlsrollout.agent.registry.RegistryWriteRefusedException;
import org.tlsrollout.agent.windows.RegistryApi.Location;
import org.tlsrollout.agent.windows.RegistryApi.View;
import org.tlsrollout.contracts.RegistryKeys;

/** WindowsRegistry over a registry API in memory (JnaRegistryApi itself has never run: no Windows here). */
class WindowsRegistryTest {
    final MapRegistryApi api = new MapRegistryApi();
    final WindowsRegistry registry = new WindowsRegistry(api);

    @Test
    void wow6432NodeKeysAreTheSameKeysInThe32BitViewAndTheOthersInThe64BitView() {
        assertThat(Location.of(RegistryKeys.NET4_WOW))
                .isEqualTo(new Location("SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319", View.KEY32));
        assertThat(Location.of(RegistryKeys.NET4))
                .isEqualTo(new Location("SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319", View.KEY64));
        assertThat(Location.of(RegistryKeys.schannel("TLS 1.2", "Client")).view()).isEqualTo(View.KEY64);
        assertThatThrownBy(() -> Location.of("HKCU\\Software\\x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsWritesAndDeletesDwordsInTheRightView() {
        registry.writeDword(RegistryKeys.NET4_WOW, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1);
        registry.writeDword(RegistryKeys.WINHTTP, RegistryKeys.DEFAULT_SECURE_PROTOCOLS, 0xAA0);

        assertThat(api.values("SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319", View.KEY32))
                .containsEntry(RegistryKeys.SCH_USE_STRONG_CRYPTO, 1);
        assertThat(registry.readDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO)).isEmpty();
        assertThat(registry.readDword(RegistryKeys.NET4_WOW, "schusestrongcrypto")).hasValue(1);
        assertThat(registry.readKey(RegistryKeys.WINHTTP)).hasValueSatisfying(v ->
                assertThat(v).containsEntry(RegistryKeys.DEFAULT_SECURE_PROTOCOLS, 0xAA0L));

        registry.deleteValue(RegistryKeys.NET4_WOW, RegistryKeys.SCH_USE_STRONG_CRYPTO);
        registry.deleteValue(RegistryKeys.NET4_WOW, RegistryKeys.SCH_USE_STRONG_CRYPTO); // absent: nothing
        assertThat(registry.readDword(RegistryKeys.NET4_WOW, RegistryKeys.SCH_USE_STRONG_CRYPTO)).isEmpty();
    }

    @Test
    void aDwordAboveTwoToThe31IsReadUnsignedAndAStringIsNotADword() {
        api.put(View.KEY64, "SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319", "SchUseStrongCrypto", 0xFFFFFFFF);
        api.put(View.KEY64, "SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319", "SystemDefaultTlsVersions", "1");
        assertThat(registry.readDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO)).hasValue(0xFFFFFFFFL);
        assertThatThrownBy(() -> registry.readDword(RegistryKeys.NET4, RegistryKeys.SYSTEM_DEFAULT_TLS_VERSIONS))
                .isInstanceOf(RegistryException.class).hasMessageContaining("not a REG_DWORD");
        assertThat(registry.readKey(RegistryKeys.NET4).orElseThrow()).containsOnlyKeys("SchUseStrongCrypto");
    }

    @Test
    void nothingOutsideTheAllowlistIsWrittenOrDeleted() {
        assertThatThrownBy(() -> registry.writeDword(RegistryKeys.FIPS, RegistryKeys.ENABLED, 0))
                .isInstanceOf(RegistryWriteRefusedException.class);
        assertThatThrownBy(() -> registry.deleteValue(RegistryKeys.FIPS, RegistryKeys.ENABLED))
                .isInstanceOf(RegistryWriteRefusedException.class);
        assertThat(api.keys).isEmpty();
    }
}
