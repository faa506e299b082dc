package org.tlsrollout.common.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The collector's JWKS decides which agent tokens are valid: fetched over https, or plain http on loopback only. */
class JwksAgentKeysTest {

    @Test
    void httpsAnywhereAndHttpOnLoopbackAreTaken() {
        for (String url : new String[] {"https://collector-service:8081/.well-known/jwks.json",
            "http://127.0.0.1:8081/.well-known/jwks.json", "http://localhost:8081/.well-known/jwks.json",
            "http://[::1]:8081/.well-known/jwks.json"}) {
            assertThatCode(() -> JwksAgentKeys.requireTrustedChannel(url, "tlsrollout.auth.agent-jwks-url")).as(url).doesNotThrowAnyException();
        }
    }

    @Test
    void plainHttpOffLoopbackAndOtherSchemesAreRefused() {
        for (String url : new String[] {"http://collector-service:8081/.well-known/jwks.json",
            "http://10.1.2.3:8081/.well-known/jwks.json", "http://0.0.0.0:8081/.well-known/jwks.json",
            "ftp://127.0.0.1/jwks.json", "not a url", "file:///etc/jwks.json"}) {
            assertThatThrownBy(() -> JwksAgentKeys.requireTrustedChannel(url, "tlsrollout.auth.agent-jwks-url")).as(url)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("agent-jwks-url");
        }
    }
}
