package org.tlsrollout.cli;

import org.tlsrollout.contracts.EnrollmentRequest;
import java.time.Instant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrollout.contracts.Json;

/**
 * `./tlsrollout up --tls`: every service HTTPS-only with the certificates made in {@code <home>/tls}, the stack's
 * own checks trusting that CA, and the services' calls to each other over https: remediation-service verifies an
 * agent token against the collector's JWKS, and the ui proxies to remediation-service.
 */
class LocalStackTlsIT {
    @TempDir
    static Path home;
    static TestStack running;
    static StackConfig config;
    static HttpClient https;

    @BeforeAll
    static void up() throws IOException {
        running = TestStack.up(home, true);
        config = running.config;
        https = LocalTls.client(config).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void down() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void everyServiceIsReadyAtAnHttpsAddressAndTheModeIsRemembered() {
        assertThat(config.tls()).isTrue();
        assertThat(LocalTls.caFile(config)).exists();
        for (Stack.Status s : running.stack.status()) {
            assertThat(s.ready()).as(s.component().displayName()).isTrue();
            if (s.component() != Component.KAFKA) {
                assertThat(s.component().address(config)).startsWith("https://127.0.0.1:");
            }
        }
        // Another CLI run on the same home (status, down) sees the same mode.
        StackConfig again = new StackConfig(config.root(), config.home(), config.kafkaPort(),
                config.kafkaControllerPort(), config.collectorPort(), config.rulesPort(), config.remediationPort(),
                config.uiPort(), config.partitions(), config.dbUrl(), config.dbUser(), config.dbPassword(),
                config.dbAdminUser(), config.dbAdminPassword(), config.javaOptions(), config.tokens());
        assertThat(again.collectorUrl()).startsWith("https://");
    }

    @Test
    void noServiceAnswersPlainHttp() {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (Component c : Component.values()) {
            if (c == Component.KAFKA) {
                continue;
            }
            URI uri = URI.create("http://127.0.0.1:" + c.port(config) + "/q/health/live");
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString())).as(c.displayName()).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aClientWithoutTheCaRefusesTheServices() {
        HttpClient defaultTrust = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create(config.collectorUrl() + "/q/health/live");
        assertThatThrownBy(() -> defaultTrust.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }

    @Test
    void remediationVerifiesAnAgentTokenAgainstTheCollectorsJwksOverHttps() throws Exception {
        JsonNode enrolled = Json.MAPPER.readTree(send("POST", config.collectorUrl() + "/api/v1/agents/enroll",
                Json.MAPPER.writeValueAsString(EnrollmentRequest.signed(EnrollmentRequest.newAgentKey(), "TLS-PC-1",
                        "NYC", "it-enroll", Instant.now())), null, 200));
        // 200 (an empty list of jobs) only if remediation-service fetched the collector's keys over https.
        String jobs = send("GET", config.remediationUrl() + "/api/v1/agents/TLS-PC-1/jobs", null,
                enrolled.get("agentToken").asText(), 200);
        assertThat(Json.MAPPER.readTree(jobs).isArray()).isTrue();
    }

    @Test
    void theUiProxiesToRemediationOverHttps() throws Exception {
        String progress = send("GET", config.uiUrl() + "/api/v1/progress", null, "it-viewer", 200);
        assertThat(Json.MAPPER.readTree(progress).has("totals")).as(progress).isTrue();
    }

    private static String send(String method, String url, String body, String token, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = https.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + url + ": " + response.body()).isEqualTo(expected);
        return response.body();
    }
}
