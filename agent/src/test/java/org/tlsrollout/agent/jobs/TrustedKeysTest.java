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
    void anEndorsedKeyIsTakenAndKeptButNeverReplacesAPinnedOne() throws Exception {
        TrustedKeys keys = TrustedKeys.pinned(TestJobs.jwks(pinned));
        ECKey rotated = TestJobs.newKey("k2");
        ECKey impostor = TestJobs.newKey("k1");

        assertThat(keys.refresh(TestJobs.jwksOf(TestJobs.jwk(rotated, TestJobs.endorse(pinned, rotated)),
                TestJobs.jwk(impostor, TestJobs.endorse(pinned, impostor))))).containsExactly("k2");
        assertThat(keys.kids()).containsExactly("k1", "k2");
        assertThat(keys.key("k1")).contains(pinned.toECPublicKey());

        // k3 endorsed by k2, which was accepted earlier; k2 stays although the set no longer lists it
        ECKey next = TestJobs.newKey("k3");
        assertThat(keys.refresh(TestJobs.jwksOf(TestJobs.jwk(next, TestJobs.endorse(rotated, next))))).containsExactly("k3");
        assertThat(keys.kids()).containsExactly("k1", "k2", "k3");
    }

    @Test
    void aNetworkAttackersKeysAreIgnored() throws Exception {
        TrustedKeys keys = TrustedKeys.pinned(TestJobs.jwks(pinned));
        ECKey unendorsed = TestJobs.newKey("a1");
        ECKey selfEndorsed = TestJobs.newKey("a2");
        ECKey legit = TestJobs.newKey("k2");
        ECKey copied = TestJobs.newKey("a3");
        ECKey attackerRoot = TestJobs.newKey("a4");
        ECKey attackerChild = TestJobs.newKey("a5");

        String attackersSet = TestJobs.jwksOf(
                TestJobs.jwk(unendorsed, null),
                TestJobs.jwk(selfEndorsed, TestJobs.endorse(selfEndorsed, selfEndorsed)),
                // the pinned key's genuine endorsement of another key, copied onto the attacker's
                TestJobs.jwk(copied, TestJobs.endorse(pinned, legit)),
                // a chain whose root nobody trusts
                TestJobs.jwk(attackerChild, TestJobs.endorse(attackerRoot, attackerChild)),
                TestJobs.jwk(attackerRoot, TestJobs.endorse(attackerRoot, attackerRoot)),
                TestJobs.jwk(unendorsed, "not.a.jws"));

        assertThat(keys.refresh(attackersSet)).isEmpty();
        assertThat(keys.refresh(attackersSet)).isEmpty(); // logged once, ignored again
        assertThat(keys.kids()).containsExactly("k1");
    }

    @Test
    void acceptedKeysAreKeptOnDiskAndCheckedAgainWhenRead(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("trusted-keys.json");
        ECKey rotated = TestJobs.newKey("k2");
        TrustedKeys.pinned(TestJobs.jwks(pinned), file)
                .refresh(TestJobs.jwksOf(TestJobs.jwk(rotated, TestJobs.endorse(pinned, rotated))));

        assertThat(TrustedKeys.pinned(TestJobs.jwks(pinned), file).kids()).containsExactly("k1", "k2");
        // with another pinned key, nothing in the file is endorsed by a trusted key any more
        assertThat(TrustedKeys.pinned(TestJobs.jwks(TestJobs.newKey("k9")), file).kids()).containsExactly("k9");
    }

    @Test
    void onlyEcP256SigningKeysAreTaken() throws Exception {
        String mixed = TestJobs.jwks(
                new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("rsa").generate(),
                new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_384).keyID("p384").generate(),
                new ECKey.Builder(TestJobs.newKey("enc")).keyUse(com.nimbusds.jose.jwk.KeyUse.ENCRYPTION).build(),
                new ECKey.Builder(TestJobs.newKey("es512")).algorithm(com.nimbusds.jose.JWSAlgorithm.ES512).build(),
                TestJobs.newKey("good"));
        TrustedKeys keys = TrustedKeys.pinned(mixed);
        assertThat(keys.kids()).containsExactly("good");
    }

    @Test
    void aPinnedSetWithoutUsableKeysIsAConfigurationError() {
        assertThatThrownBy(() -> TrustedKeys.pinned("{\"keys\":[]}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrustedKeys.pinned("not json")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refreshIsTrustedOverHttpsOrOverHttpOnlyWhenConfigured() {
        TrustedKeys keys = TrustedKeys.pinned(TestJobs.jwks(pinned));
        URI plain = URI.create("http://127.0.0.1:8083/.well-known/jwks.json");
        URI plainRemote = URI.create("http://remediation.local:8083/.well-known/jwks.json");
        assertThat(JwksRefresher.isTrusted(plainRemote, "http")).isFalse(); // api.md, Transport: never in clear off loopback
        assertThat(JwksRefresher.isTrusted(URI.create("https://remediation.corp.example/.well-known/jwks.json"), null))
                .isTrue();
        assertThat(JwksRefresher.isTrusted(plain, null)).isFalse();
        assertThat(JwksRefresher.isTrusted(plain, "https")).isFalse();
        assertThat(JwksRefresher.isTrusted(plain, "http")).isTrue();
        assertThat(JwksRefresher.isTrusted(URI.create("file:///etc/jwks.json"), "http")).isFalse();
        assertThatThrownBy(() -> new JwksRefresher(keys, http, plain, "https", Duration.ofMinutes(5), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trustJwksRefreshOver");
        assertThatThrownBy(() -> new JwksRefresher(keys, http, plainRemote, "http", Duration.ofMinutes(5),
                Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class);
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
