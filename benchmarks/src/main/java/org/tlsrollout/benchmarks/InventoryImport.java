package org.tlsrollout.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.Locale;
import org.postgresql.PGConnection;
import org.tlsrollout.cli.Component;
import org.tlsrollout.cli.StackConfig;
import org.tlsrollout.cli.StackException;
import org.tlsrollout.contracts.Json;

/**
 * B6: ConfigMgr's inventory of 1,000,000 machines (--quick: 100,000) as one {@code text/csv} POST /api/v1/inventory
 * to remediation-service, against a raw PostgreSQL {@code COPY} of the same CSV into a table of its five columns in the
 * same run. Its own Kafka and remediation-service ({@link BenchStack}, heap {@value #HEAP}), its own database; the body
 * is generated as it is sent.
 */
final class InventoryImport implements Benchmark {
    static final String HEAP = "-Xmx512m";
    private static final String[] SITES = {"I01", "I02", "I03", "I04"};

    @Override
    public String id() {
        return "B6";
    }

    @Override
    public String description() {
        return "inventory import: 1,000,000 CSV lines (--quick: 100,000) in one POST against a raw PostgreSQL COPY of"
                + " the same CSV";
    }

    @Override
    public Result run(StackConfig user, boolean quick, PrintStream out) throws Exception {
        int lines = quick ? 100_000 : 1_000_000;
        try (BenchStack stack = BenchStack.start(user, "B6", EnumSet.of(Component.KAFKA, Component.REMEDIATION),
                BenchStack.javaOptions(HEAP), out)) {
            long pid = stack.pid(Component.REMEDIATION);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            long t0 = System.nanoTime();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(stack.config().remediationUrl() + "/api/v1/inventory"))
                    .timeout(Duration.ofMinutes(30))
                    .header("Authorization", "Bearer " + stack.config().tokens().operator())
                    .header("Content-Type", "text/csv")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> csv("b6", lines, true))).build(),
                    HttpResponse.BodyHandlers.ofString());
            double importSeconds = (System.nanoTime() - t0) / 1e9;
            if (response.statusCode() != 200) {
                throw new StackException("POST /api/v1/inventory answered " + response.statusCode() + ": " + response.body());
            }
            long added = Json.MAPPER.readTree(response.body()).path("added").asLong();
            long[] rss = BenchStack.rssMiB(pid);
            double copySeconds;
            try (Connection db = stack.database()) {
                try (Statement s = db.createStatement()) {
                    s.execute("CREATE TABLE b6_copy (machine_id text PRIMARY KEY, site_code text NOT NULL, roles text,"
                            + " os_version text, last_seen_at timestamptz)");
                }
                long t1 = System.nanoTime();
                try (InputStream in = csv("b6", lines, false)) {
                    db.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY b6_copy FROM STDIN (FORMAT csv)", in);
                }
                copySeconds = (System.nanoTime() - t1) / 1e9;
            }
            out.printf(Locale.ROOT, "B6 %,d lines: import %.1f s (%.0f lines/s, %d added), COPY of the same CSV %.1f s"
                    + " (%.0f lines/s), ratio COPY/import %.3f; service RSS peak %d MiB, now %d MiB%n", lines,
                    importSeconds, lines / importSeconds, added, copySeconds, lines / copySeconds,
                    copySeconds / importSeconds, rss[0], rss[1]);
            if (added != lines) {
                throw new StackException("the import added " + added + " machines of " + lines);
            }
            return new Result(id(), quick ? "import_seconds_100k" : "import_seconds_1M",
                    Math.round(importSeconds * 10) / 10.0, copySeconds / importSeconds);
        }
    }

    /** The CSV: four sites, every 50th machine a distribution point, made a thousand lines at a time as it is read. */
    static InputStream csv(String run, int lines, boolean header) {
        Enumeration<InputStream> parts = new Enumeration<>() {
            int next = header ? -1 : 0;

            @Override
            public boolean hasMoreElements() {
                return next < lines;
            }

            @Override
            public InputStream nextElement() {
                StringBuilder b = new StringBuilder(80_000);
                if (next < 0) {
                    b.append("machineId,siteCode,roles,osVersion,lastSeenAt\n");
                    next = 0;
                }
                int end = Math.min(lines, next + 1000);
                for (int i = next; i < end; i++) {
                    b.append(run).append("-pc-").append(i).append(',').append(SITES[i % SITES.length]).append(',')
                            .append(i % 50 == 0 ? "DISTRIBUTION_POINT" : "").append(",10.0.19045,")
                            .append("2026-12-01T08:00:00Z\n");
                }
                next = end;
                return new ByteArrayInputStream(b.toString().getBytes(StandardCharsets.UTF_8));
            }
        };
        return new SequenceInputStream(parts);
    }
}
