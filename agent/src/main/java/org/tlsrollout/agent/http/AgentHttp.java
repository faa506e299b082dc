package org.tlsrollout.agent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrollout.contracts.AgentJob;
import org.tlsrollout.contracts.JobResult;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.MachineSnapshot;

/**
 * The agent side of api.md, asynchronous ({@link HttpClient#sendAsync}), over one shared {@link HttpClient}:
 * one instance serves any number of agents of the same collector and remediation service. A status other
 * than the expected one completes the future with {@link HttpStatusException} (with {@code Retry-After} when
 * sent); retrying and re-enrolling are the agent's decisions, not this class's.
 */
public final class AgentHttp {
    private static final Logger LOG = LoggerFactory.getLogger(AgentHttp.class);
    private static final TypeReference<List<AgentJob>> JOBS = new TypeReference<>() { };
    private static volatile boolean warned;

    private final HttpClient client;
    private final String collector;
    private final String remediation;
    private final Duration timeout;
    private final Clock clock;
    private final Executor executor;

    public AgentHttp(HttpClient client, URI collector, URI remediation, Duration timeout, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.executor = client.executor().orElse(ForkJoinPool.commonPool());
        this.collector = base(collector);
        this.remediation = base(remediation);
        this.timeout = timeout;
        this.clock = clock;
    }

    /**
     * A client for many agents: HTTP/1.1 (what every service of the stack speaks, plain or TLS), its callbacks on
     * {@code executor}, no redirects (a redirect must never lead the agent to another server).
     */
    public static HttpClient newClient(Executor executor, Duration connectTimeout) {
        return newClient(executor, connectTimeout, null);
    }

    /**
     * {@link #newClient(Executor, Duration)} that, when {@code caFile} is given, trusts only the CA in that PEM
     * file and offers TLS 1.3 and 1.2 only ({@link TrustedCa}); null: the JVM's default trust store.
     */
    public static HttpClient newClient(Executor executor, Duration connectTimeout, Path caFile) {
        warnAboutTheCommonPool();
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .executor(executor);
        if (caFile != null) {
            builder.sslContext(TrustedCa.sslContext(caFile)).sslParameters(TrustedCa.parameters());
        }
        return builder.build();
    }

    /**
     * JDK 17's {@code HttpClient.sendAsync} hands every response to {@code CompletableFuture}'s default executor;
     * with a common pool of parallelism 1 (a machine with 2 CPUs or fewer) that executor starts a new thread per
     * response. Driving many agents on such a machine needs
     * {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism=2} (or more).
     */
    private static void warnAboutTheCommonPool() {
        if (ForkJoinPool.getCommonPoolParallelism() < 2 && !warned) {
            warned = true;
            LOG.warn("the common ForkJoinPool has parallelism {}: the JDK HttpClient will start a thread per response;"
                    + " run with -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 to drive many agents",
                    ForkJoinPool.getCommonPoolParallelism());
        }
    }

    /**
     * {@code POST {collector}/api/v1/agents/enroll} with the agent's public key (a JWK) and its proof of possession
     * (api.md, Authentication).
     */
    public CompletableFuture<Enrollment> enroll(String machineId, String siteCode, String enrollSecret,
            Map<String, Object> publicKey, String proof) {
        String body = json(Map.of("machineId", machineId, "siteCode", siteCode, "enrollSecret", enrollSecret,
                "publicKey", publicKey, "proof", proof));
        HttpRequest request = request(collector + "/api/v1/agents/enroll", null)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return send(request, "enroll", 200).thenApply(r -> read(r.body(), Enrollment.class, "enroll"));
    }

    /** {@code POST {collector}/api/v1/snapshots}; the snapshot id of a 202. */
    public CompletableFuture<String> postSnapshot(String token, MachineSnapshot snapshot) {
        HttpRequest request = request(collector + "/api/v1/snapshots", token)
                .POST(HttpRequest.BodyPublishers.ofString(json(snapshot))).build();
        return send(request, "POST snapshot", 202)
                .thenApply(r -> read(r.body(), JsonNode.class, "POST snapshot").path("snapshotId").asText(null));
    }

    /** {@code GET {remediation}/api/v1/agents/{machineId}/jobs}. */
    public CompletableFuture<List<AgentJob>> pollJobs(String token, String machineId) {
        HttpRequest request = request(remediation + "/api/v1/agents/" + segment(machineId) + "/jobs", token)
                .GET().build();
        return send(request, "GET jobs", 200).thenApply(r -> {
            List<AgentJob> jobs = read(r.body(), JOBS, "GET jobs");
            return jobs == null ? List.of() : jobs;
        });
    }

    /** {@code POST {remediation}/api/v1/agents/{machineId}/jobs/{jobId}/result}, 204 (any 2xx is taken). */
    public CompletableFuture<Void> postResult(String token, String machineId, String jobId, JobResult result) {
        HttpRequest request = request(remediation + "/api/v1/agents/" + segment(machineId) + "/jobs/" + segment(jobId)
                + "/result", token).POST(HttpRequest.BodyPublishers.ofString(json(result))).build();
        return send(request, "POST result", 204).thenApply(r -> null);
    }

    /** {@code GET} a JWKS document, as text. */
    public CompletableFuture<String> fetchJwks(URI jwks) {
        HttpRequest request = HttpRequest.newBuilder(jwks).timeout(timeout).header("Accept", "application/json")
                .GET().build();
        return send(request, "GET " + jwks, 200).thenApply(HttpResponse::body);
    }

    private CompletableFuture<HttpResponse<String>> send(HttpRequest request, String call, int expected) {
        // JDK 17 completes sendAsync on CompletableFuture's default executor; go back to the client's executor at
        // once, so that what the agent does with the answer never runs there.
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApplyAsync(response -> {
                    int status = response.statusCode();
                    if (status == expected || (expected == 204 && status / 100 == 2)) {
                        return response;
                    }
                    throw new HttpStatusException(call, status, response.body(),
                            RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock)
                                    .orElse(null));
                }, executor);
    }

    private HttpRequest.Builder request(String uri, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new CompletionException(e);
        }
    }

    private static <T> T read(String body, Class<T> type, String call) {
        try {
            return Json.MAPPER.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new CompletionException(new IllegalStateException(call + ": the answer is not the expected JSON", e));
        }
    }

    private static <T> T read(String body, TypeReference<T> type, String call) {
        try {
            return Json.MAPPER.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new CompletionException(new IllegalStateException(call + ": the answer is not the expected JSON", e));
        }
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String base(URI uri) {
        String s = uri.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
