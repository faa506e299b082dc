package org.tlsrollout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.tlsrollout.contracts.Json;

/** remediation-service's public API as an operator's script uses it (api.md), with the operator token. */
final class RolloutApi {
    private final HttpClient http;
    private final String baseUrl;
    private final String token;

    RolloutApi(String baseUrl, String token) {
        this(baseUrl, token, null);
    }

    /** {@code ssl}: over https, the context that trusts the stack's CA ({@link LocalTls#sslContext}); null: default. */
    RolloutApi(String baseUrl, String token, javax.net.ssl.SSLContext ssl) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (ssl != null) {
            builder.sslContext(ssl).sslParameters(org.tlsrollout.agent.http.TrustedCa.parameters());
        }
        this.http = builder.build();
        this.baseUrl = baseUrl;
        this.token = token;
    }

    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }

        /** A problem document's title and detail, for a person. */
        String problem() {
            if (body == null) {
                return "HTTP " + status;
            }
            return "HTTP " + status + ": " + body.path("title").asText("") + " - " + body.path("detail").asText(body.toString());
        }
    }

    JsonNode progress() {
        return require(get("/api/v1/progress"));
    }

    JsonNode wave(String id) {
        return require(get("/api/v1/waves/" + id));
    }

    /** A page of machines in one state of one phase at one site ({@code GET /api/v1/machines}). */
    JsonNode machines(String site, String phase, String state, int page, int size) {
        return require(get("/api/v1/machines?site=" + site + "&phase=" + phase + "&state=" + state + "&page=" + page
                + "&size=" + size));
    }

    String jwks() {
        Answer answer = send("GET", "/.well-known/jwks.json", null);
        return require(answer).toString();
    }

    Answer createWave(Map<String, Object> request) {
        try {
            return send("POST", "/api/v1/waves", Json.MAPPER.writeValueAsString(request));
        } catch (IOException e) {
            throw new StackException("cannot write the wave request: " + e.getMessage(), e);
        }
    }

    Answer get(String path) {
        return send("GET", path, null);
    }

    private JsonNode require(Answer answer) {
        if (!answer.ok()) {
            throw new StackException("remediation-service answered " + answer.problem());
        }
        return answer.body();
    }

    private Answer send(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isBlank() ? null : Json.MAPPER.readTree(response.body());
            return new Answer(response.statusCode(), json);
        } catch (IOException e) {
            throw new StackException("cannot reach remediation-service at " + baseUrl + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted");
        }
    }
}
