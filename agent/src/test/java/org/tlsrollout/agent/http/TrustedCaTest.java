package org.tlsrollout.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tlsrollout.testing.TestCertificates;

/**
 * The agent's CA option: with {@code caFile} the agent's HTTP client trusts the services' certificate when that CA
 * issued it, and refuses a server whose certificate another CA issued (both made by {@code tools/make-certs.sh}).
 */
class TrustedCaTest {
    static final Path DIR = Path.of("target", "trusted-ca-test").toAbsolutePath();
    static HttpsServer server;
    static ExecutorService executor;

    @BeforeAll
    static void startAnHttpsServerWithACertificateOfCaA() throws Exception {
        TestCertificates.make(DIR.resolve("a"));
        TestCertificates.make(DIR.resolve("b"));
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        SSLContext context = TestCertificates.serverContext(DIR.resolve("a"));
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            }
        });
        server.createContext("/.well-known/jwks.json", exchange -> {
            byte[] body = "{\"keys\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        executor = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Test
    void anAgentTrustingTheServicesCaIsServed() throws Exception {
        assertThat(jwks(DIR.resolve("a/ca.crt"))).isEqualTo("{\"keys\":[]}");
    }

    @Test
    void anAgentTrustingAnotherCaRefusesTheServer() {
        assertThatThrownBy(() -> jwks(DIR.resolve("b/ca.crt")))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void aCaFileWithoutACertificateIsRefusedNamingIt() throws IOException {
        Path empty = Files.writeString(DIR.resolve("empty.crt"), "");
        assertThatThrownBy(() -> TrustedCa.sslContext(empty)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(empty.toString());
    }

    private static String jwks(Path caFile) throws Exception {
        URI base = URI.create("https://localhost:" + server.getAddress().getPort());
        AgentHttp http = new AgentHttp(AgentHttp.newClient(executor, Duration.ofSeconds(5), caFile), base, base,
                Duration.ofSeconds(10), Clock.systemUTC());
        return http.fetchJwks(base.resolve("/.well-known/jwks.json")).get(30, TimeUnit.SECONDS);
    }

}
