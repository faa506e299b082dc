package org.tlsrollout.agent.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.tlsrollout.agent.http.AgentHttp;
import org.tlsrollout.agent.testing.TestJobs;

class TrustedKeysTest {
    final ECKey pinned = TestJobs.newKey("k1");
    final AgentHttp http = new AgentHttp(HttpClient.newHttpClient(), URI.create("http://127.0.0.1:1"),
            URI.create("http://127.0.0.1:1"), Duration.ofSeconds(5), Clock.systemUTC());

    @Test
    void aRefreshedSetAddsKeysButNeverRemovesOrReplacesPinnedOnes() throws Exception {
        TrustedKeys keys = TrustedKeys.pinned(TestJobs.jwks(pinned));
        ECKey rotated = TestJobs.newKey("k2");
        ECKey impostor = TestJobs.newKey("k1");

        assertThat(keys.refresh(TestJobs.jwks(rotated, impostor))).containsExactly("k2");
        assertThat(keys.kids()).containsExactly("k1", "k2");
        assertThat(keys.key("k1")).contains(pinned.toECPublicKey());

        assertThat(keys.refresh(TestJobs.jwks(TestJobs.newKey("k3")))).containsExactly("k3");
        assertThat(keys.kids()).containsExactly("k1", "k3");
        assertThat(keys.key("k1")).contains(pinned.toECPublicKey());
    }

    @Test
    void onlyEcP256SigningKeysAreTaken() throws Exception {
        String mixed = TestJobs.jwks(
                new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("rsa").generate(),
                new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_384).keyID("p384").generate(),
                new ECKey.Builder(TestJobs.newKey("enc")).keyUse(com.nimbusds.jose.jwk.KeyUse.ENCRYPTION).build(),
                new ECKey.Builder(TestJobs.newKey("es512")).algorithm(com.nimbusds.jose.JWSAlgorithm.ES512).build(),
                TestJobs.newKey("good"));
        TrustedKeys keys = TrustedKeys.pinned(TestJobs.jwks(pinned));
        assertThat(keys.refresh(mixed)).containsExactly("good");
        assertThat(keys.kids()).containsExactly("k1", "good");
    }

    @Test
    void aPinnedSetWithoutUsableKeysIsAConfigurationError() {
        assertThatThrownBy(() -> TrustedKeys.pinned("{\"keys\":[]}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrustedKeys.pinned("not json")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refreshIsTrustedOverHttpsOrOverHttpOnlyWhenConfigured() {
        TrustedKeys keys = TrustedKeys.pinned(TestJobs.jwks(pinned));
        URI plain = URI.create("http://remediation.local:8083/.well-known/jwks.json");
        assertThat(JwksRefresher.isTrusted(URI.create("https://remediation.corp.example/.well-known/jwks.json"), null))
                .isTrue();
        assertThat(JwksRefresher.isTrusted(plain, null)).isFalse();
        assertThat(JwksRefresher.isTrusted(plain, "https")).isFalse();
        assertThat(JwksRefresher.isTrusted(plain, "http")).isTrue();
        assertThat(JwksRefresher.isTrusted(URI.create("file:///etc/jwks.json"), "http")).isFalse();
        assertThatThrownBy(() -> new JwksRefresher(keys, http, plain, "https", Duration.ofMinutes(5), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trustJwksRefreshOver");
        new JwksRefresher(keys, http, plain, "http", Duration.ofMinutes(5), Clock.systemUTC());
    }

    @Test
    void aFailedRefreshIsFalseNotAnError() {
        TrustedKeys keys = TrustedKeys.pinned(TestJobs.jwks(pinned));
        JwksRefresher refresher = new JwksRefresher(keys, http, URI.create("http://127.0.0.1:1/.well-known/jwks.json"),
                "http", Duration.ofMinutes(5), Clock.systemUTC());
        assertThat(refresher.refresh().join()).isFalse();
        assertThat(keys.kids()).containsExactly("k1");
    }
}
