package org.tlsrollout.common.security;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.runtime.Startup;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.security.cert.X509Certificate;
import java.util.List;
import org.jose4j.http.Get;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.tlsrollout.common.tls.PemCertificates;
import org.tlsrollout.transport.TransportCheck;

/**
 * Agent token keys from the JWKS document at {@code tlsrollout.auth.agent-jwks-url}, cached and refreshed by kid;
 * over https, trusting only {@code tlsrollout.auth.agent-jwks-ca-file} when it is set. Whoever can answer that URL
 * decides which agent tokens are valid, so a plain {@code http://} URL is refused at startup unless its host is a
 * loopback address.
 */
@DefaultBean
@Startup
@ApplicationScoped
public class JwksAgentKeys implements AgentKeys {
    private final VerificationKeyResolver resolver;

    public JwksAgentKeys(AuthConfig config) {
        config.agentJwksUrl().ifPresent(url -> requireTrustedChannel(url, "tlsrollout.auth.agent-jwks-url"));
        this.resolver = config.agentJwksUrl()
                .map(url -> (VerificationKeyResolver) new HttpsJwksVerificationKeyResolver(jwks(url,
                        config.agentJwksCaFile().orElse(null))))
                .orElse(null);
    }

    /** https, or http to a loopback address only (api.md, Transport); else the service does not start. */
    static void requireTrustedChannel(String url, String setting) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(setting + " is not a URL: " + url, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https") && uri.getHost() != null) {
            return;
        }
        if (scheme.equals("http") && uri.getHost() != null && TransportCheck.isLoopback(uri.getHost())) {
            return;
        }
        throw new IllegalStateException(setting + " is " + url + ": the keys that verify tokens are fetched over "
                + "https (trusting the configured CA when set), or over http from a loopback address only");
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
