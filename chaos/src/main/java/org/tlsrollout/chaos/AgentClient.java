package org.tlsrollout.chaos;

import org.tlsrollout.contracts.EnrollmentRequest;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import java.security.KeyPair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.tlsrollout.cli.StackException;
import org.tlsrollout.contracts.Json;

/**
 * What the chaos runs send, as an agent and an operator would: enroll, POST a snapshot (retrying 503 after its
 * {@code Retry-After}, and a refused or broken connection after a second, as the reference agent does), import
 * NDJSON, poll jobs and report them.
 */
final class AgentClient {
    private static final String EXAMPLE = "/org/tlsrollout/contracts/examples/win7-client-before.json";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String enrollSecret;
    private final Map<String, KeyPair> keys = new ConcurrentHashMap<>();
    private final String operatorToken;
    private final ObjectNode template;
    final AtomicLong retried503 = new AtomicLong();
    final AtomicLong retriedIo = new AtomicLong();

    AgentClient(String enrollSecret, String operatorToken) {
        this.enrollSecret = enrollSecret;
        this.operatorToken = operatorToken;
        try (InputStream in = AgentClient.class.getResourceAsStream(EXAMPLE)) {
            this.template = (ObjectNode) Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new StackException("cannot read " + EXAMPLE + ": " + e.getMessage(), e);
        }
    }

    /** A Windows 7 client that is NONCOMPLIANT in CLIENTS (the contract's example), as this machine. */
    String snapshot(String machineId, String site, Instant collectedAt) {
        ObjectNode s = template.deepCopy();
        s.put("machineId", machineId);
        s.put("hostname", machineId + ".corp.example");
        s.put("siteCode", site);
        s.put("collectedAt", collectedAt.toString());
        try {
            return Json.MAPPER.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Enrolls as an agent does: with the machine's own key (made on its first enrollment, kept for the next). */
    String enroll(String collectorUrl, String machineId, String site) throws InterruptedException {
        KeyPair key = keys.computeIfAbsent(machineId, id -> EnrollmentRequest.newAgentKey());
        String body;
        try {
            body = Json.MAPPER.writeValueAsString(EnrollmentRequest.signed(key, machineId, site, enrollSecret, Instant.now()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpResponse<String> r = sendRetrying(post(collectorUrl + "/api/v1/agents/enroll", null, body));
        if (r.statusCode() != 200) {
            throw new StackException("enroll of " + machineId + " answered " + r.statusCode() + ": " + r.body());
        }
        return json(r).path("agentToken").asText();
    }

    /** POSTs one snapshot until it is answered 202; returns the snapshotId. Anything but 202/503 is an error. */
    String postSnapshot(String collectorUrl, String agentToken, String body) throws InterruptedException {
        HttpResponse<String> r = sendRetrying(post(collectorUrl + "/api/v1/snapshots", agentToken, body));
        if (r.statusCode() != 202) {
            throw new StackException("POST /api/v1/snapshots answered " + r.statusCode() + ": " + r.body());
        }
        return json(r).path("snapshotId").asText();
    }

    /** Imports NDJSON as an operator; returns the lines accepted. Retries the whole chunk on 503 only if none was. */
    long importLines(String collectorUrl, List<String> lines) throws InterruptedException {
        String body = String.join("\n", lines) + "\n";
        HttpRequest request = HttpRequest.newBuilder(URI.create(collectorUrl + "/api/v1/snapshots/import"))
                .timeout(Duration.ofSeconds(300))
                .header("Authorization", "Bearer " + operatorToken)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r = sendRetrying(request);
        if (r.statusCode() != 200) {
            throw new StackException("import answered " + r.statusCode() + ": " + r.body());
        }
        JsonNode answer = json(r);
        if (answer.path("rejected").size() > 0) {
            throw new StackException("import rejected lines: " + answer.path("rejected").get(0));
        }
        return answer.path("accepted").asLong();
    }

    /** The job ids the machine has not reported yet. */
    List<String> jobs(String remediationUrl, String machineId, String agentToken) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(remediationUrl + "/api/v1/agents/" + machineId + "/jobs"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + agentToken).GET().build();
        HttpResponse<String> r = sendRetrying(request);
        if (r.statusCode() != 200) {
            throw new StackException("GET jobs of " + machineId + " answered " + r.statusCode() + ": " + r.body());
        }
        List<String> ids = new ArrayList<>();
        json(r).forEach(j -> ids.add(j.path("jobId").asText()));
        return ids;
    }

    void report(String remediationUrl, String machineId, String agentToken, String jobId, String outcome)
            throws InterruptedException {
        String body = "{\"outcome\":\"" + outcome + "\",\"detail\":\"chaos run\",\"previousValues\":[]}";
        HttpResponse<String> r = sendRetrying(post(remediationUrl + "/api/v1/agents/" + machineId + "/jobs/" + jobId
                + "/result", agentToken, body));
        if (r.statusCode() != 204) {
            throw new StackException("report of job " + jobId + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    record Answer(int status, JsonNode body) {
    }

    /** An operator's call to remediation-service; a refused connection is thrown, not retried. */
    Answer operator(String method, String url, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(300))
                .header("Authorization", "Bearer " + operatorToken).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isBlank() ? null : Json.MAPPER.readTree(r.body()));
    }

    /** The wave of this name, if remediation-service has one (the operator's check after a failed POST). */
    java.util.Optional<JsonNode> waveNamed(String remediationUrl, String name) throws IOException, InterruptedException {
        Answer a = operator("GET", remediationUrl + "/api/v1/waves", null);
        if (a.status() != 200) {
            throw new IOException("GET /api/v1/waves answered " + a.status());
        }
        JsonNode list = a.body().isArray() ? a.body() : a.body().path("items");
        for (JsonNode w : list) {
            if (name.equals(w.path("name").asText())) {
                return java.util.Optional.of(w);
            }
        }
        return java.util.Optional.empty();
    }

    private HttpRequest post(String url, String bearer, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return b.build();
    }

    /** Sends until the answer is not 503 and the connection held; gives up after 10 minutes. */
    private HttpResponse<String> sendRetrying(HttpRequest request) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (true) {
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 503) {
                    return r;
                }
                retried503.incrementAndGet();
                long wait = r.headers().firstValue("Retry-After").map(AgentClient::seconds).orElse(1L);
                Thread.sleep(Math.max(200, Math.min(wait, 10) * 1000));
            } catch (IOException e) {
                retriedIo.incrementAndGet();
                Thread.sleep(1000);
            }
            if (System.nanoTime() > deadline) {
                throw new StackException(request.method() + " " + request.uri() + " did not succeed in 10 minutes");
            }
        }
    }

    private static long seconds(String retryAfter) {
        try {
            return Long.parseLong(retryAfter.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new StackException("not JSON: " + r.body());
        }
    }
}
