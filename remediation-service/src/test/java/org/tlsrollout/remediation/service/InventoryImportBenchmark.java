package org.tlsrollout.remediation.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.platform.testing.KafkaTestResource;
import org.tlsrollout.platform.testing.PostgresTestResource;
import org.tlsrollout.remediation.TestEstate;

/**
 * How long POST /api/v1/inventory takes for 1,000,000 CSV lines (about 60 MB) in one request, and how much memory the
 * service uses meanwhile (docs/benchmarks.md). Not part of the default build (its name is not a test's); run it with
 * {@code mvn -pl remediation-service -am verify -Dtest=InventoryImportBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbenchmark.lines} changes the size). The body is generated as it is sent: the client holds none of it.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class InventoryImportBenchmark {
    private static final int LINES = Integer.getInteger("benchmark.lines", 1_000_000);

    @TestHTTPResource("/api/v1/inventory")
    URL url;

    @Test
    void aMillionLinesInOneRequest() throws Exception {
        String run = "inv" + java.util.UUID.randomUUID().toString().substring(0, 6);
        String[] sites = {TestEstate.newSite(), TestEstate.newSite(), TestEstate.newSite(), TestEstate.newSite()};
        System.gc();
        AtomicLong peakHeap = new AtomicLong();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                peakHeap.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        long t0 = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url.toString()))
                .header("Authorization", "Bearer " + TestEstate.OPERATOR_TOKEN)
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body(run, sites)))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        long millis = (System.nanoTime() - t0) / 1_000_000;
        sampling.set(false);
        sampler.join();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var result = Json.MAPPER.readTree(response.body());
        assertThat(result.path("added").asLong()).isEqualTo(LINES);
        String status = Files.readString(Path.of("/proc/self/status"));
        System.out.printf("BENCHMARK inventory: %d lines in %d ms (%.0f lines/s); peak heap %d MB; %s; %s%n", LINES,
                millis, LINES * 1000.0 / millis, peakHeap.get() >> 20, line(status, "VmHWM"), line(status, "VmRSS"));
    }

    private static String line(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name)).findFirst().orElse(name + ": ?").replaceAll("\\s+", " ");
    }

    /** The CSV, made a thousand lines at a time as the client reads it. */
    private static InputStream body(String run, String[] sites) {
        Enumeration<InputStream> parts = new Enumeration<>() {
            int next = -1;

            @Override
            public boolean hasMoreElements() {
                return next < LINES;
            }

            @Override
            public InputStream nextElement() {
                StringBuilder b = new StringBuilder(80_000);
                if (next < 0) {
                    b.append("machineId,siteCode,roles,osVersion,lastSeenAt\n");
                    next = 0;
                }
                int end = Math.min(LINES, next + 1000);
                for (int i = next; i < end; i++) {
                    b.append(run).append("-pc-").append(i).append(',').append(sites[i % sites.length]).append(',')
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
