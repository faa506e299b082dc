package org.tlsrollout.common.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** The certificates of a PEM file (a CA's, for a client that trusts that CA only). */
public final class PemCertificates {
    private PemCertificates() {
    }

    /** Every certificate in the file; fails, naming the file, when it cannot be read or holds none. */
    public static List<X509Certificate> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) c);
            }
            if (certificates.isEmpty()) {
                throw new IllegalStateException(file + " holds no certificate");
            }
            return certificates;
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("cannot read the CA certificate " + file + ": " + e.getMessage(), e);
        }
    }
}
