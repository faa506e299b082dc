package org.tlsrollout.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** api.md, Transport: plain HTTP on loopback only; off loopback HTTPS only, or the service does not start. */
class TransportCheckTest {

    @Test
    void loopbackAddressesAreLoopbackAndTheWildcardAndOthersAreNot() {
        assertThat(TransportCheck.isLoopback("127.0.0.1")).isTrue();
        assertThat(TransportCheck.isLoopback("127.0.0.2")).isTrue();
        assertThat(TransportCheck.isLoopback("::1")).isTrue();
        assertThat(TransportCheck.isLoopback("localhost")).isTrue();
        assertThat(TransportCheck.isLoopback("0.0.0.0")).isFalse();
        assertThat(TransportCheck.isLoopback("::")).isFalse();
        assertThat(TransportCheck.isLoopback("192.0.2.10")).isFalse();
        assertThat(TransportCheck.isLoopback("no-such-host.invalid")).isFalse();
    }

    @Test
    void onLoopbackPlainHttpIsAllowed() {
        assertThat(TransportCheck.refusal("127.0.0.1", true, "enabled", false)).isEmpty();
        assertThat(TransportCheck.refusal("localhost", true, "enabled", true)).isEmpty();
    }

    @Test
    void offLoopbackOnlyACertificateWithPlainHttpDisabledStarts() {
        assertThat(TransportCheck.refusal("0.0.0.0", false, "disabled", true)).isEmpty();
        assertThat(TransportCheck.refusal("0.0.0.0", false, "DISABLED", true)).isEmpty();
    }

    @Test
    void offLoopbackPlainHttpIsRefusedSayingWhatToSet() {
        assertThat(TransportCheck.refusal("0.0.0.0", false, "enabled", false)).hasValueSatisfying(reason -> assertThat(reason)
                .contains("0.0.0.0", "server certificate", "quarkus.http.insecure-requests=disabled", "127.0.0.1"));
        assertThat(TransportCheck.refusal("10.0.0.5", false, "redirect", true)).hasValueSatisfying(reason ->
                assertThat(reason).contains("quarkus.http.insecure-requests=disabled").doesNotContain("certificate"));
        assertThat(TransportCheck.refusal("10.0.0.5", false, "disabled", false)).hasValueSatisfying(reason ->
                assertThat(reason).contains("server certificate").doesNotContain("insecure-requests"));
    }
}
