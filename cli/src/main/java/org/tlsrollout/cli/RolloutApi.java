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
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;

/**
 * A service's public API as an operator's script uses it (api.md), with a bearer token: remediation-service for
 * the demo, remediation-service or collector-service for the operator commands ({@link OperatorCommands}).
 */
final class RolloutApi {
    private final HttpClient http;
    private final String baseUrl;
    private final String token;
    private final String service;

    RolloutApi(String baseUrl, String token) {
        this(baseUrl, token, null);
    }

    /** {@code ssl}: over https, the context that trusts the stack's CA ({@link LocalTls#sslContext}); null: default. */
    RolloutApi(String baseUrl, String token, javax.net.ssl.SSLContext ssl) {
        this("remediation-service", baseUrl, token, ssl);
    }

    RolloutApi(String service, String baseUrl, String token, javax.net.ssl.SSLContext ssl) {
        this.service = service;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (ssl != null) {
            builder.sslContext(ssl).sslParameters(org.tlsrollout.agent.http.TrustedCa.parameters());
        }
        this.http = builder.build();
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** The service could not be reached, or the exchange broke off. */
    static final class Unreachable extends StackException {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** {@code body}: the answer as JSON, null when empty or not JSON; {@code text}: as received. */
    record Answer(int status, JsonNode body, String text) {
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

    /** {@code GET /api/v1/progress}, read for {@code sites} only (the demo's estate, whatever else the stack holds). */
    Progress progress(java.util.Set<String> sites) {
        return new Progress(require(get("/api/v1/progress")), sites);
    }

    /** An answer of {@code GET /api/v1/progress} (api.md), summed over some of its sites. */
    record Progress(JsonNode body, java.util.Set<String> sites) {
        private java.util.List<JsonNode> chosen() {
            java.util.List<JsonNode> chosen = new java.util.ArrayList<>();
            body.path("sites").forEach(site -> {
                if (sites.contains(site.path("siteCode").asText())) {
                    chosen.add(site);
                }
            });
            return chosen;
        }

        /** Machines of the sites. */
        long machines() {
            return chosen().stream().mapToLong(site -> site.path("machines").asLong()).sum();
        }

        /** Machines of the sites known from inventory that never reported. */
        long neverReported() {
            return chosen().stream().mapToLong(site -> site.path("neverReported").asLong()).sum();
        }

        /** Machines in one state of one phase at one site; 0 for a site not among them. */
        long count(String site, Phase phase, PhaseState state) {
            return chosen().stream().filter(s -> s.path("siteCode").asText().equals(site))
                    .mapToLong(s -> s.path("phases").path(phase.name()).path(state.name()).asLong()).sum();
        }

        /** The codes of the sites that have machines, in the answer's order. */
        java.util.List<String> siteCodes() {
            return chosen().stream().map(site -> site.path("siteCode").asText()).toList();
        }

        /**
         * Counts by state in one phase, summed over the sites. A never-reported machine shows UNKNOWN in CLIENTS and
         * VERIFY with no job coming (until an operator retires it): it is left out of UNKNOWN there.
         */
        JsonNode counts(Phase phase) {
            com.fasterxml.jackson.databind.node.ObjectNode sum = Json.MAPPER.createObjectNode();
            for (JsonNode site : chosen()) {
                site.path("phases").path(phase.name()).fields().forEachRemaining(
                        e -> sum.put(e.getKey(), sum.path(e.getKey()).asLong() + e.getValue().asLong()));
                if (phase == Phase.CLIENTS || phase == Phase.VERIFY) {
                    long agentless = site.path("neverReported").asLong();
                    sum.put(PhaseState.UNKNOWN.name(), Math.max(0, sum.path(PhaseState.UNKNOWN.name()).asLong() - agentless));
                }
            }
            return sum;
        }
    }

    JsonNode wave(String id) {
        return require(get("/api/v1/waves/" + id));
    }

    /**
     * The id of every machine in one state of one phase at one site, from {@code GET /api/v1/machines} as CSV: the
     * service reads it a part at a time after the last id, where pages of a large estate would cost the database an
     * OFFSET each (1M machines: about 2,000 pages, each scanning what the ones before it did).
     */
    void machineIds(String site, String phase, String state, java.util.function.Consumer<String> each) {
        HttpResponse<java.util.stream.Stream<String>> response = exchange(request("GET", "/api/v1/machines?site=" + site
                + "&phase=" + phase + "&state=" + state, HttpRequest.BodyPublishers.noBody(), null, "text/csv", Map.of()),
                HttpResponse.BodyHandlers.ofLines());
        try (java.util.stream.Stream<String> lines = response.body()) {
            if (response.statusCode() / 100 != 2) {
                throw new StackException(service + " answered "
                        + answer(response.statusCode(), String.join("\n", lines.toList())).problem());
            }
            // Ids, enum names and times only: no value is quoted (MachineResource.csvRow).
            lines.skip(1).filter(line -> !line.isEmpty()).forEach(line -> {
                int comma = line.indexOf(',');
                each.accept(comma < 0 ? line : line.substring(0, comma));
            });
        }
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
            throw new StackException(service + " answered " + answer.problem());
        }
        return answer.body();
    }

    private Answer send(String method, String path, String body) {
        return send(method, path, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body), "application/json", "application/json", Map.of());
    }

    /** Any request; a JSON answer is parsed, any other kept as text. */
    Answer send(String method, String path, HttpRequest.BodyPublisher body, String contentType, String accept,
            Map<String, String> headers) {
        HttpResponse<String> response = exchange(request(method, path, body, contentType, accept, headers),
                HttpResponse.BodyHandlers.ofString());
        return answer(response.statusCode(), response.body());
    }

    /**
     * A GET whose 2xx answer is copied to {@code out} as it arrives (a CSV export of the whole estate is not held
     * in memory); any other answer is returned, not copied.
     */
    Answer download(String path, String accept, java.io.OutputStream out) {
        HttpResponse<java.io.InputStream> response = exchange(request("GET", path,
                HttpRequest.BodyPublishers.noBody(), null, accept, Map.of()), HttpResponse.BodyHandlers.ofInputStream());
        try (java.io.InputStream in = response.body()) {
            if (response.statusCode() / 100 != 2) {
                return answer(response.statusCode(), new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
            in.transferTo(out);
            out.flush();
            return new Answer(response.statusCode(), null, "");
        } catch (IOException e) {
            throw new Unreachable("the answer of " + service + " at " + baseUrl + " broke off: " + e.getMessage(), e);
        }
    }

    private HttpRequest request(String method, String path, HttpRequest.BodyPublisher body, String contentType,
            String accept, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .header("Accept", accept)
                .method(method, body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        return request.build();
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new Unreachable("cannot reach " + service + " at " + baseUrl + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted");
        }
    }

    private static Answer answer(int status, String text) {
        JsonNode json = null;
        if (!text.isBlank()) {
            try {
                json = Json.MAPPER.readTree(text);
            } catch (IOException notJson) {
                json = null;
            }
        }
        return new Answer(status, json, text);
    }
}
