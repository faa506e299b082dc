package org.tlsrollout.collector.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Security;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tlsrollout.collector.DatabaseOnlyProfile;
import org.tlsrollout.platform.net.FreePorts;
import org.tlsrollout.testing.TestCertificates;

/**
 * The service as docker-compose.yml and {@code ./tlsrollout up --tls} run it (decisions.md, "HTTPS only, TLS 1.2
 * and 1.3"): the certificates of {@code tools/make-certs.sh}, made now, {@code quarkus.tls.protocols=TLSv1.3,TLSv1.2}
 * and {@code quarkus.http.insecure-requests=disabled}, bound to every address. A TLS 1.1 (and 1.0) handshake is
 * refused, TLS 1.2 and 1.3 are served, TLS 1.2 only with AEAD cipher suites (service-common's default
 * {@code quarkus.tls.cipher-suites}), and plain HTTP is served nowhere.
 *
 * <p>The JDK itself refuses TLS 1.0 and 1.1 by default, which would make the refusal prove nothing; this test JVM
 * enables them again (surefire's argLine loads {@code legacy-tls-allowed.java.security}), and the control
 * {@link #theSameTls11ClientIsServedByAJdkServerThatAllowsIt()} shows the same client completing a TLS 1.1
 * handshake with a plain JDK server of the same certificate, so the refusal comes from the service's configuration.
 */
@QuarkusTest
@TestProfile(HttpsOnlyTest.HttpsOnly.class)
class HttpsOnlyTest {
    static final Path CERTS = Path.of("target", "tls-test-certs").toAbsolutePath();
    /** A CBC suite that the JDK offers by default for TLS 1.2 (ECDHE-ECDSA-AES128-SHA), and an AEAD one. */
    static final String CBC = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA";
    static final String GCM = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";

    /** The settings docker-compose.yml gives every service as QUARKUS_* environment variables. */
    public static class HttpsOnly extends DatabaseOnlyProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            TestCertificates.make(CERTS);
            Map<String, String> config = new HashMap<>();
            config.put("quarkus.tls.key-store.pem.server.cert", CERTS.resolve("server.crt").toString());
            config.put("quarkus.tls.key-store.pem.server.key", CERTS.resolve("server.key").toString());
            config.put("quarkus.tls.protocols", "TLSv1.3,TLSv1.2");
            config.put("quarkus.http.insecure-requests", "disabled");
            // Off loopback, as in a container: allowed because plain HTTP is off (module transport's TransportCheck).
            // The cipher suites are service-common's defaults, not set here.
            config.put("quarkus.http.host", "0.0.0.0");
            config.put("quarkus.http.test-ssl-port", "0");
            // A fixed plain HTTP port, so that the test can show nothing listens there.
            config.put("quarkus.http.test-port", Integer.toString(FreePorts.pick()));
            // No broker: this test looks at the HTTP endpoint only.
            config.put("kafka.bootstrap.servers", "127.0.0.1:" + FreePorts.pick());
            return config;
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @BeforeAll
    static void theJvmAllowsTls11() {
        assertThat(Security.getProperty("jdk.tls.disabledAlgorithms"))
                .as("legacy-tls-allowed.java.security is loaded (surefire argLine), else TLS 1.1 is refused by the "
                        + "JDK and not by the service")
                .doesNotContain("TLSv1.1").doesNotContainPattern("TLSv1\\s*,");
    }

    @Test
    void aTls11HandshakeIsRefused() throws Exception {
        assertThatThrownBy(() -> handshake(https.getPort(), "TLSv1.1")).isInstanceOf(SSLException.class);
    }

    @Test
    void aTls10HandshakeIsRefused() throws Exception {
        assertThatThrownBy(() -> handshake(https.getPort(), "TLSv1")).isInstanceOf(SSLException.class);
    }

    @Test
    void tls12IsServed() throws Exception {
        try (SSLSocket socket = handshake(https.getPort(), "TLSv1.2")) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(get(socket, "/q/health/live")).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void tls13IsServed() throws Exception {
        try (SSLSocket socket = handshake(https.getPort(), "TLSv1.3")) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(get(socket, "/.well-known/jwks.json")).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aCbcCipherSuiteOverTls12IsRefused() throws Exception {
        assertThatThrownBy(() -> handshake(https.getPort(), new String[] {CBC}, "TLSv1.2"))
                .isInstanceOf(SSLException.class);
    }

    @Test
    void anAeadCipherSuiteOverTls12IsServed() throws Exception {
        try (SSLSocket socket = handshake(https.getPort(), new String[] {GCM}, "TLSv1.2")) {
            assertThat(socket.getSession().getCipherSuite()).isEqualTo(GCM);
            assertThat(get(socket, "/q/health/live")).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void theSameCbcClientIsServedByAJdkServerThatAllowsIt() throws Exception {
        try (SSLServerSocket server = (SSLServerSocket) TestCertificates.serverContext(CERTS).getServerSocketFactory()
                .createServerSocket(0)) {
            server.setEnabledCipherSuites(new String[] {CBC, GCM});
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                    accepted.startHandshake();
                    return accepted.getSession().getCipherSuite();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket socket = handshake(server.getLocalPort(), new String[] {CBC}, "TLSv1.2")) {
                assertThat(socket.getSession().getCipherSuite()).isEqualTo(CBC);
            }
            assertThat(served.get(30, TimeUnit.SECONDS)).isEqualTo(CBC);
        }
    }

    @Test
    void aClientOfferingEverythingGetsTls13() throws Exception {
        try (SSLSocket socket = handshake(https.getPort(), "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3")) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void plainHttpIsServedNowhere() throws Exception {
        // Nothing listens on the plain HTTP port the service was given...
        int plainPort = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        assertThat(plainPort).isPositive();
        assertThat(accepts(plainPort)).as("something listens on the plain HTTP port %d", plainPort).isFalse();
        // ...and the HTTPS port does not answer HTTP without TLS.
        try (Socket socket = new Socket("127.0.0.1", https.getPort())) {
            socket.setSoTimeout(10_000);
            String answer;
            try {
                answer = get(socket, "/q/health/live");
            } catch (IOException closed) {
                answer = "";
            }
            assertThat(answer).doesNotStartWith("HTTP/");
        }
    }

    @Test
    void theSameTls11ClientIsServedByAJdkServerThatAllowsIt() throws Exception {
        try (SSLServerSocket server = (SSLServerSocket) TestCertificates.serverContext(CERTS).getServerSocketFactory()
                .createServerSocket(0)) {
            server.setEnabledProtocols(new String[] {"TLSv1.1", "TLSv1.2", "TLSv1.3"});
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                    accepted.startHandshake();
                    return accepted.getSession().getProtocol();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket socket = handshake(server.getLocalPort(), "TLSv1.1")) {
                assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.1");
            }
            assertThat(served.get(30, TimeUnit.SECONDS)).isEqualTo("TLSv1.1");
        }
    }

    /** A handshake offering only {@code protocols}, trusting only the CA of make-certs.sh, checking the host name. */
    static SSLSocket handshake(int port, String... protocols) throws Exception {
        return handshake(port, null, protocols);
    }

    /** The same, offering only {@code cipherSuites} when not null. */
    static SSLSocket handshake(int port, String[] cipherSuites, String... protocols) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trustStore());
        context.init(null, tmf.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
        try {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(protocols);
            if (cipherSuites != null) {
                socket.setEnabledCipherSuites(cipherSuites);
            }
            var parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (Exception e) {
            socket.close();
            throw e;
        }
    }

    private static String get(Socket socket, String path) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    private static KeyStore trustStore() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", TestCertificates.certificate(CERTS.resolve("ca.crt")));
        return trust;
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

}
