package org.tlsrollout.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ActionPolicyTest {

    @Test
    void allowsWhatTheCatalogAsksFor() {
        assertThat(ActionPolicy.refusal(Action.setDword(RegistryKeys.WINHTTP, "DefaultSecureProtocols", 0xAA0))).isEmpty();
        assertThat(ActionPolicy.refusal(Action.installUpdate("KB3140245"))).isEmpty();
        assertThat(ActionPolicy.refusal(Action.installSoftware("dotnet-framework", "4.8"))).isEmpty();
        assertThat(ActionPolicy.refusal(Action.restartService("SMS_EXECUTIVE"))).isEmpty();
        assertThat(ActionPolicy.refusal(Action.restart("registry changed"))).isEmpty();
        assertThat(ActionPolicy.refusal(Action.runProbes())).isEmpty();
    }

    @Test
    void refusesEverythingElse() {
        assertThat(ActionPolicy.refusal(Action.setDword(RegistryKeys.FIPS, "Enabled", 0))).get().asString()
                .contains("outside the allowlist");
        assertThat(ActionPolicy.refusal(Action.setDword("HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run", "x", 1)))
                .isPresent();
        assertThat(ActionPolicy.refusal(Action.setDword(RegistryKeys.NET4, "SchUseStrongCrypto", 0x1_0000_0000L))).isPresent();
        assertThat(ActionPolicy.refusal(Action.restartService("W32Time"))).isPresent();
        assertThat(ActionPolicy.refusal(Action.installSoftware("putty", "1.0"))).isPresent();
        assertThat(ActionPolicy.refusal(Action.installUpdate("KB12; rm -rf"))).isPresent();
        assertThat(ActionPolicy.refusal(null)).isPresent();
    }

    /** rules.md, "The allowlist pins values too": the values of its table pass. */
    @Test
    void allowsThePinnedValues() {
        for (String side : new String[] {RegistryKeys.CLIENT, RegistryKeys.SERVER}) {
            String tls12 = RegistryKeys.schannel(RegistryKeys.SCH_TLS12, side);
            assertThat(ActionPolicy.refusal(Action.setDword(tls12, "Enabled", 1))).isEmpty();
            assertThat(ActionPolicy.refusal(Action.setDword(tls12, "DisabledByDefault", 0))).isEmpty();
            for (String legacy : RegistryKeys.LEGACY_PROTOCOLS) {
                String key = RegistryKeys.schannel(legacy, side);
                assertThat(ActionPolicy.refusal(Action.setDword(key, "Enabled", 0))).isEmpty();
                assertThat(ActionPolicy.refusal(Action.setDword(key, "DisabledByDefault", 1))).isEmpty();
            }
        }
        for (String key : new String[] {RegistryKeys.NET4, RegistryKeys.NET2, RegistryKeys.NET4_WOW, RegistryKeys.NET2_WOW}) {
            assertThat(ActionPolicy.refusal(Action.setDword(key, "SchUseStrongCrypto", 1))).isEmpty();
            assertThat(ActionPolicy.refusal(Action.setDword(key, "SystemDefaultTlsVersions", 1))).isEmpty();
        }
        for (long v : new long[] {0x800, 0xA00, 0xAA0, 0x2A00, 0x2AA0}) {
            assertThat(ActionPolicy.refusal(Action.setDword(RegistryKeys.WINHTTP_WOW, "DefaultSecureProtocols", v)))
                    .as("0x%x", v).isEmpty();
        }
        for (String kb : CatalogUpdates.ALL) {
            assertThat(ActionPolicy.refusal(Action.installUpdate(kb))).as(kb).isEmpty();
        }
        assertThat(ActionPolicy.refusal(Action.undoJob("0190a5c2-7d1e-7b3a-9c4f-2f6d8e1a0b3c"))).isEmpty();
    }

    /** The hostile values of the security issue: each would weaken a machine, and each is refused. */
    @Test
    void refusesValuesThatWeakenAMachine() {
        String tls12Client = RegistryKeys.schannel(RegistryKeys.SCH_TLS12, RegistryKeys.CLIENT);
        assertThat(ActionPolicy.refusal(Action.setDword(tls12Client, "Enabled", 0))).get().asString()
                .contains("pins it to 1");
        assertThat(ActionPolicy.refusal(Action.setDword(tls12Client, "DisabledByDefault", 1))).isPresent();
        String ssl3Server = RegistryKeys.schannel(RegistryKeys.SCH_SSL3, RegistryKeys.SERVER);
        assertThat(ActionPolicy.refusal(Action.setDword(ssl3Server, "Enabled", 1))).get().asString()
                .contains("pins it to 0");
        assertThat(ActionPolicy.refusal(Action.setDword(ssl3Server, "DisabledByDefault", 0))).isPresent();
        assertThat(ActionPolicy.refusal(Action.setDword(RegistryKeys.schannel(RegistryKeys.SCH_TLS10, RegistryKeys.CLIENT),
                "Enabled", 0xFFFFFFFFL))).isPresent();
        assertThat(ActionPolicy.refusal(Action.setDword(RegistryKeys.NET4, "SchUseStrongCrypto", 0))).isPresent();
        assertThat(ActionPolicy.refusal(Action.setDword(RegistryKeys.NET2_WOW, "SystemDefaultTlsVersions", 2))).isPresent();
        // DefaultSecureProtocols without TLS 1.2 (0x800), or with SSL 2.0 (0x8) or SSL 3.0 only bits.
        assertThat(ActionPolicy.refusal(Action.setDword(RegistryKeys.WINHTTP, "DefaultSecureProtocols", 0xA0)))
                .get().asString().contains("0x800");
        assertThat(ActionPolicy.refusal(Action.setDword(RegistryKeys.WINHTTP, "DefaultSecureProtocols", 0xA08))).isPresent();
        assertThat(ActionPolicy.refusal(Action.setDword(RegistryKeys.WINHTTP, "DefaultSecureProtocols", 0x0))).isPresent();
        // An unknown KB, well formed, is not an update of the catalog.
        assertThat(ActionPolicy.refusal(Action.installUpdate("KB5000001"))).get().asString()
                .contains("not an update of the catalog");
        assertThat(ActionPolicy.refusal(Action.installUpdate("KB3135244"))).isPresent();
        assertThat(ActionPolicy.refusal(Action.undoJob(null))).isPresent();
        assertThat(ActionPolicy.refusal(Action.undoJob("../../etc"))).isPresent();
    }

    @Test
    void takesTheEstatesLaterRollups() {
        assertThat(ActionPolicy.refusal(Action.installUpdate("KB4025336"), Set.of("KB4025336"))).isEmpty();
        assertThat(ActionPolicy.refusal(Action.installUpdate("KB4025336"))).isPresent();
    }
}
