package org.tlsrollout.agent.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for a client that trusts one CA only (a PEM file: the private CA of {@code tools/make-certs.sh}) and speaks
 * TLS 1.3 and 1.2 only: what an agent, or {@code ./tlsrollout}, uses to reach services that serve HTTPS.
 */
public final class TrustedCa {
    /** The protocols a client offers: never TLS 1.1 or older. */
    public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TrustedCa() {
    }

    /** An SSLContext whose trust managers accept certificates issued by the CA(s) in {@code caFile} and no other. */
    public static SSLContext sslContext(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (cas.isEmpty()) {
                throw new IllegalArgumentException(caFile + " holds no certificate");
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate ca : cas) {
                trust.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the CA certificate " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** Parameters offering {@link #PROTOCOLS} only, with the server's host name checked against its certificate. */
    public static SSLParameters parameters() {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(PROTOCOLS.clone());
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }
}
