package org.tlsrollout.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Certificates for tests, made by {@code tools/make-certs.sh} as a person makes them before {@code docker compose up}:
 * {@code ca.crt}, {@code server.crt} and {@code server.key} (EC P-256) in a folder.
 */
public final class TestCertificates {
    private TestCertificates() {
    }

    /** Runs tools/make-certs.sh (found from the module's folder, where surefire runs) into {@code out}. */
    public static Path make(Path out) {
        Path script = Path.of("").toAbsolutePath().getParent().resolve("tools/make-certs.sh");
        try {
            Process p = new ProcessBuilder("bash", script.toString(), "--out", out.toString())
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(script + " failed:\n" + output);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A plain JDK server context serving {@code dir}'s server certificate (with its CA) and key. */
    public static SSLContext serverContext(Path dir) throws Exception {
        String pem = Files.readString(dir.resolve("server.key"));
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, new char[0],
                new Certificate[] {certificate(dir.resolve("server.crt")), certificate(dir.resolve("ca.crt"))});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    /** One X.509 certificate in PEM. */
    public static Certificate certificate(Path file) throws IOException, java.security.cert.CertificateException {
        try (InputStream in = Files.newInputStream(file)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
