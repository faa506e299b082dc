package org.tlsrollout.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.tlsrollout.contracts.AgentJob;
import org.tlsrollout.contracts.JobResult;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.SnapshotSchema;

/**
 * collector-service and remediation-service as far as an agent sees them (api.md), in one JDK HTTP server:
 * enrollment, snapshots (checked against the schema), job polling, results, the JWKS. It can answer 503 with
 * Retry-After and forget every token (so that agents get 401), and records what agents sent.
 */
public final class FakeServices implements AutoCloseable {
    public static final String SECRET = "site-secret";

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final SnapshotSchema schema = new SnapshotSchema();
    private final boolean keepAndCheck;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, List<MachineSnapshot>> snapshots = new ConcurrentHashMap<>();
    private final Map<String, List<AgentJob>> jobs = new ConcurrentHashMap<>();
    private final Map<String, JobResult> results = new ConcurrentHashMap<>();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger enrollments = new AtomicInteger();
    private volatile java.time.Duration tokenLifetime = java.time.Duration.ofHours(1);
    /** machine id to the thumbprint of the key it first enrolled with. */
    private final java.util.Map<String, String> bindings = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger snapshotsAccepted = new AtomicInteger();
    private final AtomicInteger resultPosts = new AtomicInteger();
    private final AtomicInteger snapshotsUnavailable = new AtomicInteger();
    private final AtomicInteger resultsUnavailable = new AtomicInteger();
    private final AtomicInteger snapshotsDropped = new AtomicInteger();
    private volatile String jwks = "{\"keys\":[]}";

    public FakeServices() throws IOException {
        this(true);
    }

    /**
     * @param keepAndCheck check every snapshot against the schema and keep snapshots, results and a request log;
     *                     false answers 202 to any snapshot and keeps nothing but pending jobs and tokens (for
     *                     benchmarks of the agents, not of this server)
     */
    public FakeServices(boolean keepAndCheck) throws IOException {
        this.keepAndCheck = keepAndCheck;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public URI jwksUri() {
        return uri().resolve("/.well-known/jwks.json");
    }

    public void jwks(String jwks) {
        this.jwks = jwks;
    }

    /** Queues a signed job for a machine. */
    public void addJob(String machineId, String jobId, String jws) {
        jobs.computeIfAbsent(machineId, k -> new CopyOnWriteArrayList<>()).add(new AgentJob(jobId, jws));
    }

    /** Every token is forgotten: the next agent call gets 401. */
    public void revokeTokens() {
        tokens.clear();
    }

    /** The next {@code n} snapshots are answered 503 with Retry-After: 0. */
    public void snapshotsUnavailable(int n) {
        snapshotsUnavailable.set(n);
    }

    /** The next {@code n} snapshot requests get no answer: the connection is closed, as a crashing proxy would. */
    public void dropSnapshotConnections(int n) {
        snapshotsDropped.set(n);
    }

    /** The next {@code n} results are answered 503 with Retry-After: 0. */
    public void resultsUnavailable(int n) {
        resultsUnavailable.set(n);
    }

    public List<MachineSnapshot> snapshots(String machineId) {
        return snapshots.getOrDefault(machineId, List.of());
    }

    public int snapshotCount() {
        return snapshotsAccepted.get();
    }

    public Map<String, JobResult> results() {
        return results;
    }

    public List<AgentJob> pendingJobs(String machineId) {
        return jobs.getOrDefault(machineId, List.of());
    }

    /** How long the tokens it hands out last (1 hour unless set). */
    public void tokenLifetime(java.time.Duration lifetime) {
        this.tokenLifetime = lifetime;
    }

    /** The thumbprint of the key the machine first enrolled with, or null. */
    public String boundKey(String machineId) {
        return bindings.get(machineId);
    }

    public int enrollments() {
        return enrollments.get();
    }

    public int resultPosts() {
        return resultPosts.get();
    }

    /** "METHOD path status" of every request, in order. */
    public List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getRawPath();
            String[] seg = path.split("/");
            byte[] body = ex.getRequestBody().readAllBytes();
            int status;
            if (method.equals("POST") && path.equals("/api/v1/agents/enroll")) {
                status = enroll(ex, body);
            } else if (method.equals("POST") && path.equals("/api/v1/snapshots")
                    && snapshotsDropped.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                ex.close(); // no status line at all
                status = 0;
            } else if (method.equals("POST") && path.equals("/api/v1/snapshots")) {
                status = snapshot(ex, body);
            } else if (method.equals("GET") && path.equals("/.well-known/jwks.json")) {
                status = send(ex, 200, jwks);
            } else if (method.equals("GET") && seg.length == 6 && path.startsWith("/api/v1/agents/")
                    && seg[5].equals("jobs")) {
                status = poll(ex, decode(seg[4]));
            } else if (method.equals("POST") && seg.length == 8 && path.startsWith("/api/v1/agents/")
                    && seg[7].equals("result")) {
                status = result(ex, decode(seg[4]), decode(seg[6]), body);
            } else {
                status = send(ex, 404, "");
            }
            if (keepAndCheck) {
                log.add(method + " " + path + " " + status);
            }
        } catch (RuntimeException e) {
            send(ex, 500, String.valueOf(e));
        }
    }

    private int enroll(HttpExchange ex, byte[] body) throws IOException {
        JsonNode req = Json.MAPPER.readTree(body);
        if (!SECRET.equals(req.path("enrollSecret").asText())) {
            return send(ex, 401, "{\"title\":\"wrong secret\"}");
        }
        // api.md, Authentication: a P-256 JWK, a proof of possession by it, and trust on first use.
        String machineId = req.path("machineId").asText();
        java.security.interfaces.ECPublicKey key;
        try {
            key = org.tlsrollout.contracts.EcJwk.fromJwk(Json.MAPPER.convertValue(req.path("publicKey"),
                    new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, Object>>() { }));
        } catch (org.tlsrollout.contracts.EcJwk.InvalidKeyException | IllegalArgumentException e) {
            return send(ex, 400, "{\"title\":\"invalid publicKey\"}");
        }
        if (org.tlsrollout.contracts.EnrollmentProof.refusal(req.path("proof").asText(null), key, machineId,
                req.path("siteCode").asText(), Instant.now()).isPresent()) {
            return send(ex, 400, "{\"title\":\"invalid proof\"}");
        }
        String thumbprint = org.tlsrollout.contracts.EcJwk.thumbprint(key);
        if (!bindings.computeIfAbsent(machineId, id -> thumbprint).equals(thumbprint)) {
            return send(ex, 409, "{\"title\":\"machine id bound to another key\"}");
        }
        String token = "tok-" + UUID.randomUUID();
        tokens.put(token, machineId);
        enrollments.incrementAndGet();
        return send(ex, 200, "{\"agentToken\":\"" + token + "\",\"expiresAt\":\"" + Instant.now().plus(tokenLifetime)
                + "\"}");
    }

    private int snapshot(HttpExchange ex, byte[] body) throws IOException {
        String subject = subject(ex);
        if (subject == null) {
            return send(ex, 401, "");
        }
        if (snapshotsUnavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            ex.getResponseHeaders().add("Retry-After", "0");
            return send(ex, 503, "{\"title\":\"Kafka unavailable\"}");
        }
        if (!keepAndCheck) {
            snapshotsAccepted.incrementAndGet();
            return send(ex, 202, "{\"snapshotId\":\"" + UUID.randomUUID() + "\"}");
        }
        SnapshotSchema.Result check = schema.check(new String(body, StandardCharsets.UTF_8));
        if (!check.valid()) {
            return send(ex, 400, String.valueOf(check.errors()));
        }
        if (!subject.equals(check.snapshot().machineId())) {
            return send(ex, 403, "");
        }
        snapshots.computeIfAbsent(subject, k -> new CopyOnWriteArrayList<>()).add(check.snapshot());
        snapshotsAccepted.incrementAndGet();
        return send(ex, 202, "{\"snapshotId\":\"" + UUID.randomUUID() + "\"}");
    }

    private int poll(HttpExchange ex, String machineId) throws IOException {
        String subject = subject(ex);
        if (subject == null) {
            return send(ex, 401, "");
        }
        if (!subject.equals(machineId)) {
            return send(ex, 403, "");
        }
        return send(ex, 200, Json.MAPPER.writeValueAsString(jobs.getOrDefault(machineId, List.of())));
    }

    private int result(HttpExchange ex, String machineId, String jobId, byte[] body) throws IOException {
        String subject = subject(ex);
        if (subject == null) {
            return send(ex, 401, "");
        }
        if (!subject.equals(machineId)) {
            return send(ex, 403, "");
        }
        if (resultsUnavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            ex.getResponseHeaders().add("Retry-After", "0");
            return send(ex, 503, "");
        }
        List<AgentJob> pending = jobs.getOrDefault(machineId, List.of());
        if (pending.stream().noneMatch(j -> j.jobId().equals(jobId)) && !results.containsKey(jobId)) {
            return send(ex, 404, "");
        }
        resultPosts.incrementAndGet();
        JobResult result = Json.MAPPER.readValue(body, JobResult.class);
        if (keepAndCheck) {
            results.putIfAbsent(jobId, result);
        }
        pending.removeIf(j -> j.jobId().equals(jobId));
        ex.sendResponseHeaders(204, -1);
        return 204;
    }

    private String subject(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ")) {
            return null;
        }
        return tokens.get(auth.substring(7));
    }

    private static int send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
        return status;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
