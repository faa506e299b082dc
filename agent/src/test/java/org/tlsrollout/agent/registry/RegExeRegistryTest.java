package org.tlsrollout.agent.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.RegistryKeys;

/** RegExeRegistry on recorded reg.exe output: CRLF, four-space columns, hex DWORDs, keys with spaces. */
class RegExeRegistryTest {
    static final String TLS12_CLIENT = RegistryKeys.schannel(RegistryKeys.SCH_TLS12, RegistryKeys.CLIENT);

    final RecordedCommandRunner runner = new RecordedCommandRunner();
    final RegExeRegistry registry = new RegExeRegistry(runner, true);

    @Test
    void readsOneDword() {
        runner.answer(List.of("reg", "query", RegistryKeys.NET4, "/v", "SchUseStrongCrypto", "/reg:64"), 0,
                "query-net4-strongcrypto.stdout", null);
        assertThat(registry.readDword(RegistryKeys.NET4, "SchUseStrongCrypto")).hasValue(1);
    }

    @Test
    void valueNamesAreMatchedCaseInsensitively() {
        runner.answer(List.of("reg", "query", RegistryKeys.NET4, "/v", "schusestrongcrypto", "/reg:64"), 0,
                "query-net4-strongcrypto.stdout", null);
        assertThat(registry.readDword(RegistryKeys.NET4, "schusestrongcrypto")).hasValue(1);
    }

    @Test
    void aMissingValueOrKeyIsEmpty() {
        runner.answer(List.of("reg", "query", RegistryKeys.NET2, "/v", "SchUseStrongCrypto", "/reg:64"), 1, null,
                "not-found.stderr");
        runner.answer(List.of("reg", "query", RegistryKeys.WINHTTP_WOW, "/reg:64"), 1, null, "not-found.stderr");
        assertThat(registry.readDword(RegistryKeys.NET2, "SchUseStrongCrypto")).isEmpty();
        assertThat(registry.readKey(RegistryKeys.WINHTTP_WOW)).isEmpty();
    }

    @Test
    void readsAKeyWithSpacesAndAnUnsignedHexValue() {
        runner.answer(List.of("reg", "query", TLS12_CLIENT, "/reg:64"), 0, "query-tls12-client.stdout", null);
        assertThat(registry.readKey(TLS12_CLIENT)).contains(Map.of("DisabledByDefault", 0L, "Enabled", 0xFFFF_FFFFL));
        assertThat(runner.invocations.get(0).get(2))
                .isEqualTo("HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client");
    }

    @Test
    void aKeyReadKeepsOnlyItsOwnDwordsNotItsSubkeysOrOtherTypes() {
        runner.answer(List.of("reg", "query", RegistryKeys.WINHTTP, "/reg:64"), 0, "query-winhttp.stdout", null);
        runner.answer(List.of("reg", "query", RegistryKeys.NET4, "/reg:64"), 0, "query-net4.stdout", null);
        assertThat(registry.readKey(RegistryKeys.WINHTTP)).contains(Map.of("DefaultSecureProtocols", 0xAA0L));
        assertThat(registry.readKey(RegistryKeys.NET4)).contains(Map.of("SchUseStrongCrypto", 1L,
                "SystemDefaultTlsVersions", 1L, "AspNetEnforceViewStateMac", 1L));
    }

    @Test
    void aValueOfAnotherTypeIsAnErrorNotAnAbsence() {
        runner.answer(List.of("reg", "query", RegistryKeys.FIPS, "/v", "Enabled", "/reg:64"), 0, "query-fips-sz.stdout",
                null);
        assertThatThrownBy(() -> registry.readDword(RegistryKeys.FIPS, "Enabled"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("REG_SZ, not a REG_DWORD");
    }

    @Test
    void otherErrorsAreErrors() {
        runner.answer(List.of("reg", "query", RegistryKeys.NET4, "/v", "SchUseStrongCrypto", "/reg:64"), 1, null,
                "access-denied.stderr");
        assertThatThrownBy(() -> registry.readDword(RegistryKeys.NET4, "SchUseStrongCrypto"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("Access is denied");
    }

    @Test
    void writesADwordWithRegAdd() {
        List<String> add = List.of("reg", "add", RegistryKeys.WINHTTP, "/v", "DefaultSecureProtocols", "/t", "REG_DWORD",
                "/d", "0xaa0", "/f", "/reg:64");
        runner.answer(add, 0, "add-ok.stdout", null);
        registry.writeDword(RegistryKeys.WINHTTP, "DefaultSecureProtocols", 0xAA0);
        assertThat(runner.invocations).containsExactly(add);
    }

    @Test
    void aFailedWriteIsAnError() {
        List<String> add = List.of("reg", "add", TLS12_CLIENT, "/v", "Enabled", "/t", "REG_DWORD", "/d", "0x1", "/f",
                "/reg:64");
        runner.answer(add, 1, null, "access-denied.stderr");
        assertThatThrownBy(() -> registry.writeDword(TLS12_CLIENT, "Enabled", 1))
                .isInstanceOf(RegistryException.class).hasMessageContaining("Access is denied");
    }

    @Test
    void writesOutsideTheAllowlistNeverRunRegExe() {
        assertThatThrownBy(() -> registry.writeDword(RegistryKeys.FIPS, "Enabled", 0))
                .isInstanceOf(RegistryWriteRefusedException.class);
        assertThatThrownBy(() -> registry.writeDword("HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time", "Start", 4))
                .isInstanceOf(RegistryWriteRefusedException.class);
        assertThatThrownBy(() -> registry.writeDword(RegistryKeys.NET4, "SchUseStrongCrypto", 0x1_0000_0000L))
                .isInstanceOf(RegistryWriteRefusedException.class);
        assertThat(runner.invocations).isEmpty();
    }

    @Test
    void the32BitViewIsNotForcedWhenNotAsked() {
        RegExeRegistry plain = new RegExeRegistry(runner, false);
        runner.answer(List.of("reg", "query", RegistryKeys.NET4, "/v", "SchUseStrongCrypto"), 0,
                "query-net4-strongcrypto.stdout", null);
        assertThat(plain.readDword(RegistryKeys.NET4, "SchUseStrongCrypto")).hasValue(1);
    }

    @Test
    void reportedKeysLeaveOutMissingKeysAndWowOnX86() {
        RegExeRegistry x86 = new RegExeRegistry(command -> {
            String key = command.get(2);
            if (key.equals(TLS12_CLIENT)) {
                return new CommandRunner.Result(0, "\r\n" + key.replace("HKLM", "HKEY_LOCAL_MACHINE")
                        + "\r\n    Enabled    REG_DWORD    0x1\r\n\r\n", "");
            }
            if (key.toLowerCase().contains("wow6432node")) {
                throw new IOException("must not be queried on x86");
            }
            return new CommandRunner.Result(1, "", "ERROR: The system was unable to find the specified registry key or value.");
        }, false);
        assertThat(x86.readReportedKeys(false)).isEqualTo(Map.of(TLS12_CLIENT, Map.of("Enabled", 1L)));
    }
}
