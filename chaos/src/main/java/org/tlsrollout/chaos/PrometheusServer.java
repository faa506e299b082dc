package org.tlsrollout.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.tlsrollout.cli.StackException;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.platform.net.FreePorts;

/**
 * The real {@code prometheus} binary (Debian's package, {@code /usr/bin/prometheus}) on a free port of 127.0.0.1,
 * with a configuration and a database of its own in a temporary folder, scraping the given targets' /q/metrics.
 */
final class PrometheusServer implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One scrape target: a job name (the service) and its {@code host:port}. */
    record Target(String job, String address) {
    }

    private final Path dir;
    private final Process process;
    private final String url;

    private PrometheusServer(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.url = "http://127.0.0.1:" + port;
    }

    /** The binary: {@code TLSROLLOUT_PROMETHEUS} when set, else {@code /usr/bin/prometheus}, else one on the PATH. */
    static Path binary() {
        String configured = System.getenv("TLSROLLOUT_PROMETHEUS");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        if (Files.isExecutable(BINARY)) {
            return BINARY;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "prometheus");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new StackException("R10 needs the prometheus binary (apt-get install prometheus, or set"
                + " TLSROLLOUT_PROMETHEUS to its path)");
    }

    /**
     * The configuration: every target scraped every {@code interval} at /q/metrics, over {@code scheme}; with https,
     * trusting only {@code caFile}. /q/metrics asks for no credentials (api.md, "Prometheus metrics").
     */
    static String config(List<Target> targets, Duration interval, String scheme, Path caFile) {
        Map<String, List<String>> byJob = new TreeMap<>();
        for (Target t : targets) {
            byJob.computeIfAbsent(t.job(), k -> new ArrayList<>()).add(t.address());
        }
        StringBuilder y = new StringBuilder();
        y.append("global:\n  scrape_interval: ").append(interval.toMillis()).append("ms\n")
                .append("  scrape_timeout: ").append(interval.toMillis()).append("ms\n")
                .append("  evaluation_interval: ").append(interval.toMillis()).append("ms\n")
                .append("scrape_configs:\n");
        byJob.forEach((job, addresses) -> {
            y.append("  - job_name: ").append(job).append("\n    metrics_path: /q/metrics\n    scheme: ").append(scheme)
                    .append('\n');
            if (scheme.equals("https")) {
                y.append("    tls_config:\n      ca_file: ").append(caFile).append('\n');
            }
            y.append("    static_configs:\n      - targets: [");
            for (int i = 0; i < addresses.size(); i++) {
                y.append(i == 0 ? "" : ", ").append('"').append(addresses.get(i)).append('"');
            }
            y.append("]\n");
        });
        return y.toString();
    }

    /** Starts Prometheus on {@code config} and waits until it answers ready (at most 60 s). */
    static PrometheusServer start(String config, Path logFile) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("tlsrollout-prometheus-");
        Files.writeString(dir.resolve("prometheus.yml"), config);
        int port = FreePorts.pick();
        Process process = new ProcessBuilder(binary().toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        PrometheusServer server = new PrometheusServer(dir, process, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                server.close();
                throw new StackException("prometheus stopped while starting; see " + logFile);
            }
            if (server.get("/-/ready").statusCode() == 200) {
                return server;
            }
            Thread.sleep(250);
        }
        server.close();
        throw new StackException("prometheus was not ready after 60 s; see " + logFile);
    }

    String url() {
        return url;
    }

    /** How many targets are up, by the last scrape of each. */
    int targetsUp() throws IOException, InterruptedException {
        Reply r = get("/api/v1/targets?state=active");
        if (r.statusCode() != 200) {
            return 0;
        }
        int up = 0;
        for (JsonNode t : Json.MAPPER.readTree(r.body()).path("data").path("activeTargets")) {
            up += t.path("health").asText().equals("up") ? 1 : 0;
        }
        return up;
    }

    /**
     * An instant query at {@code time}: each series of the result by its labels (e.g. {@code {phase=CLIENTS}}, or
     * {@code {}} for one without), and its value. A query that matches nothing gives an empty map.
     */
    Map<String, Double> query(String expr, Instant time) throws IOException, InterruptedException {
        Reply r = get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)
                + "&time=" + String.format(Locale.ROOT, "%.3f", time.toEpochMilli() / 1000.0));
        JsonNode body = Json.MAPPER.readTree(r.body());
        if (r.statusCode() != 200 || !body.path("status").asText().equals("success")) {
            throw new StackException("prometheus refused " + expr + ": " + r.body());
        }
        JsonNode data = body.path("data");
        Map<String, Double> series = new LinkedHashMap<>();
        if (data.path("resultType").asText().equals("scalar")) {
            series.put("{}", Double.parseDouble(data.path("result").get(1).asText()));
            return series;
        }
        for (JsonNode s : data.path("result")) {
            Map<String, String> labels = new TreeMap<>();
            s.path("metric").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            series.put(labels.toString(), Double.parseDouble(s.path("value").get(1).asText()));
        }
        return series;
    }

    /** An answer of the HTTP API; status 0 when nothing listens yet. */
    private record Reply(int statusCode, String body) {
    }

    private Reply get(String path) throws IOException, InterruptedException {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + path))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (java.net.ConnectException e) {
            return new Reply(0, "");
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temporary folder left behind does no harm
        }
    }
}
