package org.tlsrollout.benchmarks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.tlsrollout.cli.Component;
import org.tlsrollout.cli.StackException;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.CloudEvents;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.MachineClass;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.platform.kafka.KafkaPrincipals;

/**
 * B3: a CLIENTS wave over 100,000 and 1,000,000 machines (one batch of 100%), from POST /api/v1/waves to every job
 * planned, signed (ES256) and committed with its outbox event, against a raw PostgreSQL {@code COPY} of the same job
 * rows into a table of the same shape (indexes, constraints, compression) in the same run.
 * <p>
 * Its own Kafka and remediation-service ({@link BenchStack}, heap {@value #HEAP}), its own database. One Windows 7 client
 * evaluation (6 FAIL results in CLIENTS: 7 registry writes, 2 installs, restarts) goes through Kafka and the service's
 * ingest; its row is then copied ({@code COPY machine FROM STDIN}) to as many machines as needed, so that every machine
 * row is shaped as the ingest writes it.
 */
public final class WaveCreationBenchmark implements Benchmark {
    static final String HEAP = "-Xmx512m";
    private static final String TEMPLATE = "b3-template";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public String id() {
        return "B3";
    }

    @Override
    public String description() {
        return "wave creation: jobs planned, signed (ES256) and stored for 100k and 1M machines against a raw"
                + " PostgreSQL COPY of the same rows (--quick: 100k only)";
    }

    /** CPU seconds used from the POST to the last job committed, by the service, PostgreSQL and Kafka. */
    private record Cpu(double service, double postgres, double kafka) {
        static Cpu now(long servicePid, long kafkaPid) {
            return new Cpu(BenchStack.cpuSeconds(servicePid), BenchStack.postgresCpuSeconds(),
                    BenchStack.cpuSeconds(kafkaPid));
        }

        Cpu since(Cpu start) {
            return new Cpu(service - start.service, postgres - start.postgres, kafka - start.kafka);
        }
    }

    private record Measure(int machines, String waveId, double createSeconds, double waveSeconds, double relaySeconds,
            double copySeconds, long peakRssMiB, Cpu cpu) {
        double ratio() {
            return copySeconds / waveSeconds;
        }
    }

    @Override
    public Result run(org.tlsrollout.cli.StackConfig user, boolean quick, PrintStream out) throws Exception {
        // -Dtlsrollout.b3.machines=1000000 (comma-separated): other sizes, e.g. only the large one.
        String asked = System.getProperty("tlsrollout.b3.machines");
        int[] sizes = asked != null ? java.util.Arrays.stream(asked.split(",")).mapToInt(v -> Integer.parseInt(v.trim()))
                .toArray() : quick ? new int[] {100_000} : new int[] {100_000, 1_000_000};
        List<Measure> measures = new ArrayList<>();
        try (BenchStack stack = BenchStack.start(user, "B3",
                java.util.EnumSet.of(Component.KAFKA, Component.REMEDIATION), BenchStack.javaOptions(HEAP), out)) {
            long pid = stack.pid(Component.REMEDIATION);
            long kafkaPid = stack.pid(Component.KAFKA);
            String url = stack.config().remediationUrl();
            String token = stack.config().tokens().operator();
            try (Connection db = stack.database()) {
                String template = template(stack, db, out);
                seed(db, template, "W00", 2_000, out);
                out.println("warm-up wave over 2,000 machines (the JIT of the service)");
                wave(db, url, token, "W00", 2_000, pid, kafkaPid, out);
                for (int i = 0; i < sizes.length; i++) {
                    String site = "B3" + i;
                    seed(db, template, site, sizes[i], out);
                    Measure m = wave(db, url, token, site, sizes[i], pid, kafkaPid, out);
                    m = new Measure(m.machines(), m.waveId(), m.createSeconds(), m.waveSeconds(), m.relaySeconds(),
                            copyBaseline(db, stack, stack.config().home(), m.waveId(), sizes[i], out), m.peakRssMiB(), m.cpu());
                    measures.add(m);
                    out.printf(java.util.Locale.ROOT, "B3 %,d machines: wave %.1f s (%.0f jobs/s; POST answered in %.1f s,"
                                    + " events relayed to Kafka %.1f s after the POST), COPY of the same job rows %.1f s"
                                    + " (%.0f rows/s), ratio COPY/wave %.3f, service peak RSS %d MiB%n",
                            m.machines(), m.waveSeconds(), m.machines() / m.waveSeconds(), m.createSeconds(),
                            m.relaySeconds(), m.copySeconds(), m.machines() / m.copySeconds(), m.ratio(),
                            m.peakRssMiB());
                    out.printf(java.util.Locale.ROOT, "  CPU during the wave: service %.1f s, PostgreSQL %.1f s, Kafka %.1f s"
                                    + " (%.0f / %.0f / %.0f us a job)%n", m.cpu().service(), m.cpu().postgres(),
                            m.cpu().kafka(), m.cpu().service() * 1e6 / m.machines(), m.cpu().postgres() * 1e6 / m.machines(),
                            m.cpu().kafka() * 1e6 / m.machines());
                }
            }
        }
        Measure last = measures.get(measures.size() - 1);
        String figure = last.machines() >= 1_000_000 ? "wave_seconds_1M" : "wave_seconds_100k";
        return new Result(id(), figure, Math.round(last.waveSeconds() * 10) / 10.0, last.ratio());
    }

    /** One evaluation through Kafka and the service's ingest: the row every seeded machine copies. */
    private String template(BenchStack stack, Connection db, PrintStream out) throws Exception {
        // The producer's configuration dump and metadata retries are not the benchmark's output (slf4j-simple).
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        Properties props = new Properties();
        props.putAll(stack.config().kafkaClient(KafkaPrincipals.RULES)); // as rules-service publishes evaluations
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        RecordHeaders headers = new RecordHeaders();
        CloudEvents.binaryHeaders(UUID.randomUUID().toString(), Topics.EVALUATION_EVENT_TYPE,
                "urn:tlsrollout:rules-service", TEMPLATE, Instant.now(), headers::add);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(Topics.EVALUATIONS, null, TEMPLATE,
                    Json.MAPPER.writeValueAsString(Win7Client.evaluation(TEMPLATE, "T00")), headers)).get();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            ByteArrayOutputStream row = new ByteArrayOutputStream();
            copy(db).copyOut("COPY (SELECT * FROM machine WHERE machine_id = '" + TEMPLATE + "') TO STDOUT", row);
            if (row.size() > 0) {
                out.printf("the template machine went through Kafka and the ingest (%d bytes as a COPY row)%n",
                        row.size());
                return row.toString(StandardCharsets.UTF_8);
            }
            Thread.sleep(200);
        }
        throw new StackException("remediation-service did not store the template evaluation within 120 s");
    }

    /** {@code n} machines of {@code site} (ids {@code <site>-0000001}...), each a copy of the template row. */
    private static void seed(Connection db, String template, String site, int n, PrintStream out) throws Exception {
        long t0 = System.nanoTime();
        String rest = template.substring(nthTab(template, 2)); // after machine_id and site_code
        CopyIn in = copy(db).copyIn("COPY machine FROM STDIN");
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 21);
            for (int i = 0; i < n; i++) {
                buffer.writeBytes(String.format("%s-%07d\t%s", site, i, site).getBytes(StandardCharsets.UTF_8));
                buffer.writeBytes(rest.getBytes(StandardCharsets.UTF_8));
                if (buffer.size() > (1 << 20)) {
                    in.writeToCopy(buffer.toByteArray(), 0, buffer.size());
                    buffer.reset();
                }
            }
            in.writeToCopy(buffer.toByteArray(), 0, buffer.size());
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
        try (Statement s = db.createStatement()) {
            s.execute("VACUUM ANALYZE machine");
        }
        out.printf("seeded %,d machines of site %s by COPY in %.1f s%n", n, site, (System.nanoTime() - t0) / 1e9);
    }

    private static int nthTab(String s, int n) {
        int at = -1;
        for (int i = 0; i < n; i++) {
            at = s.indexOf('\t', at + 1);
        }
        return at;
    }

    /** POST the wave, then wait for every target to have its job (or be skipped) and for the outbox to drain. */
    private Measure wave(Connection db, String url, String token, String site, int n, long pid, long kafkaPid,
            PrintStream out) throws Exception {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", "b3 " + site);
        request.put("phase", "CLIENTS");
        request.put("sites", List.of(site));
        request.put("percent", 100);
        request.put("maxFailureRate", 1.0);
        Cpu cpu = Cpu.now(pid, kafkaPid);
        long t0 = System.nanoTime();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/waves"))
                .timeout(Duration.ofMinutes(10))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(request))).build(),
                HttpResponse.BodyHandlers.ofString());
        long t1 = System.nanoTime();
        if (created.statusCode() != 201) {
            throw new StackException("POST /api/v1/waves answered " + created.statusCode() + ": " + created.body());
        }
        var wave = Json.MAPPER.readTree(created.body());
        String id = wave.path("id").asText();
        int targeted = wave.path("counts").path("targeted").asInt();
        if (targeted != n) {
            throw new StackException("the wave targets " + targeted + " machines, not " + n + ": " + created.body());
        }
        // Cheap probes only: counting a million PENDING targets took 1.6 s of PostgreSQL at every probe, about half
        // of PostgreSQL's CPU during the wave. EXISTS stops at the first pending target; progress is read from the
        // statistics (approximate, updated about every second).
        long insertedBefore = jobRowsInserted(db);
        long lastReport = t1;
        while (count(db, "SELECT count(*) FROM (SELECT 1 FROM wave_target WHERE wave_id = ? AND state = 'PENDING'"
                + " LIMIT 1) p", id) > 0) {
            if (System.nanoTime() - lastReport > 10e9) {
                lastReport = System.nanoTime();
                out.printf("  %.0f s: about %,d of %,d jobs stored; service RSS %d MiB%n", (lastReport - t0) / 1e9,
                        jobRowsInserted(db) - insertedBefore, n, BenchStack.rssMiB(pid)[1]);
            }
            Thread.sleep(500);
        }
        long t2 = System.nanoTime();
        Cpu used = Cpu.now(pid, kafkaPid).since(cpu);
        long jobs = count(db, "SELECT count(*) FROM job WHERE wave_id = ?", id);
        if (jobs != n) {
            throw new StackException("the wave issued " + jobs + " jobs for " + n + " machines; see its targets' detail");
        }
        while (count(db, "SELECT count(*) FROM (SELECT 1 FROM outbox LIMIT 1) o", null) > 0) {
            Thread.sleep(250);
        }
        long t3 = System.nanoTime();
        return new Measure(n, id, (t1 - t0) / 1e9, (t2 - t0) / 1e9, (t3 - t0) / 1e9, Double.NaN,
                BenchStack.rssMiB(pid)[0], used);
    }

    /**
     * The baseline: the wave's job rows, exported to a file, copied into a new table LIKE job INCLUDING ALL (same
     * columns, constraints, indexes, compression) in one transaction. Timed: the COPY and its commit.
     */
    private static double copyBaseline(Connection db, BenchStack stack, Path home, String waveId, int n, PrintStream out)
            throws Exception {
        if (!waveId.matches("[A-Za-z0-9-]+")) {
            throw new IllegalStateException("unexpected wave id " + waveId);
        }
        Path file = home.resolve("b3-jobs.copy");
        try {
            try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
                copy(db).copyOut("COPY (SELECT * FROM job WHERE wave_id = '" + waveId + "') TO STDOUT", o);
            }
            try (Statement s = db.createStatement()) {
                s.execute("DROP TABLE IF EXISTS b3_copy");
                s.execute("CREATE TABLE b3_copy (LIKE job INCLUDING ALL)");
            }
            stack.checkpoint(out);
            boolean auto = db.getAutoCommit();
            db.setAutoCommit(false);
            long t0 = System.nanoTime();
            long rows;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
                rows = copy(db).copyIn("COPY b3_copy FROM STDIN", in);
                db.commit();
            } finally {
                db.setAutoCommit(auto);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (rows != n) {
                throw new StackException("the baseline copied " + rows + " rows, not " + n);
            }
            out.printf("baseline: COPY of the %,d job rows (%d MiB as COPY text) into a table LIKE job INCLUDING ALL:"
                    + " %.1f s%n", rows, Files.size(file) >> 20, seconds);
            return seconds;
        } finally {
            Files.deleteIfExists(file);
            try (Statement s = db.createStatement()) {
                s.execute("DROP TABLE IF EXISTS b3_copy");
            }
        }
    }

    /** Rows ever inserted into job, from PostgreSQL's statistics (no scan). */
    private static long jobRowsInserted(Connection db) throws SQLException {
        return count(db, "SELECT COALESCE(sum(n_tup_ins), 0) FROM pg_stat_user_tables WHERE relname = 'job'", null);
    }

    private static CopyManager copy(Connection db) throws SQLException {
        return db.unwrap(PGConnection.class).getCopyAPI();
    }

    private static long count(Connection db, String sql, String parameter) throws SQLException {
        try (PreparedStatement select = db.prepareStatement(sql)) {
            if (parameter != null) {
                select.setString(1, parameter);
            }
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
