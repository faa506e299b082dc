package org.tlsrollout.common.security;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.jose4j.http.Get;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.tlsrollout.common.tls.PemCertificates;

/**
 * Agent token keys from the JWKS document at {@code tlsrollout.auth.agent-jwks-url}, cached and refreshed by kid;
 * over https, trusting only {@code tlsrollout.auth.agent-jwks-ca-file} when it is set.
 */
@DefaultBean
@ApplicationScoped
public class JwksAgentKeys implements AgentKeys {
    private final VerificationKeyResolver resolver;

    public JwksAgentKeys(AuthConfig config) {
        this.resolver = config.agentJwksUrl()
                .map(url -> (VerificationKeyResolver) new HttpsJwksVerificationKeyResolver(jwks(url,
                        config.agentJwksCaFile().orElse(null))))
                .orElse(null);
    }

    static HttpsJwks jwks(String url, Path caFile) {
        HttpsJwks jwks = new HttpsJwks(url);
        if (caFile != null) {
            List<X509Certificate> trusted = PemCertificates.read(caFile);
            Get get = new Get();
            get.setTrustedCertificates(trusted);
            jwks.setSimpleHttpGet(get);
        }
        return jwks;
    }

    @Override
    public VerificationKeyResolver resolver() {
        if (resolver == null) {
            throw new IllegalStateException("tlsrollout.auth.agent-jwks-url is not set: agent tokens cannot be verified");
        }
        return resolver;
    }
}
