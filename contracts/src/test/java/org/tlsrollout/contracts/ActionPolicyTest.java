package org.tlsrollout.contracts;

import static org.assertj.core.api.Assertions.assertThat;

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
}
