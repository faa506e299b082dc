package org.tlsrollout.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.tlsrollout.cli.Component;
import org.tlsrollout.cli.StackConfig;
import org.tlsrollout.cli.StackException;
import org.tlsrollout.contracts.CloudEvents;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.platform.kafka.KafkaPrincipals;

/**
 * B1: rules-service throughput, snapshots in and evaluations out, against a raw Kafka consumer to producer
 * pass-through of the same records on the same broker in the same run.
 * <p>
 * On a broker of its own it produces N snapshot records as the collector publishes them (the contract's examples
 * with varied machine ids, plus snapshotId and receivedAt, binary CloudEvents headers), then starts the packaged
 * rules-service on that backlog and takes the time from its first evaluation to its last (the records' broker
 * timestamps, set when the service's producer sent them). It stops the service and runs {@link PassThrough}, a
 * process with the same JVM options and the service's consumer and producer settings, from the same snapshot
 * records to a topic with as many partitions as the evaluations topic, timed the same way.
 * Figure: evaluations per second; ratio: the service's rate over the pass-through's.
 */
public final class RulesThroughput implements Benchmark {
    static final String[] EXAMPLES = {"win7-client-before.json", "win10-client-done.json", "server2012r2-primary-site.json"};
    private static final String PASS_THROUGH_TOPIC = "bench.passthrough.v1";
    private static final Duration STALL = Duration.ofSeconds(120);

    @Override
    public String id() {
        return "B1";
    }

    @Override
    public String description() {
        return "rules-service throughput (snapshots to evaluations) against a raw Kafka pass-through (--quick: 50k records, else 500k)";
    }

    @Override
    public Result run(StackConfig user, boolean quick, PrintStream out) throws Exception {
        int records = Integer.getInteger("tlsrollout.bench.records", quick ? 50_000 : 500_000);
        BenchStack.quietKafkaClients();
        try (BenchStack bench = BenchStack.start(user, id(), EnumSet.of(Component.KAFKA), null, out);
                Admin admin = Admin.create(bench.config.kafkaClient(KafkaPrincipals.ADMIN))) {
            StackConfig config = bench.config;
            long producing = System.nanoTime();
            produce(config, records);
            out.printf(Locale.ROOT, "produced %d snapshot records to %s in %.1f s%n", records, Topics.SNAPSHOTS,
                    (System.nanoTime() - producing) / 1e9);
            int partitions = admin.describeTopics(List.of(Topics.EVALUATIONS)).allTopicNames().get()
                    .get(Topics.EVALUATIONS).partitions().size();
            admin.createTopics(List.of(new NewTopic(PASS_THROUGH_TOPIC, partitions, (short) 1))).all().get();

            out.println("rules-service on the backlog ...");
            bench.stack.up(EnumSet.of(Component.RULES));
            long kafka = bench.pid(Component.KAFKA);
            Span service = await(admin, Topics.EVALUATIONS, partitions, records, bench.pid(Component.RULES), kafka, out);
            bench.stop(Component.RULES);
            out.printf(Locale.ROOT, "rules-service: %d evaluations in %.2f s from the first to the last: %.0f /s%n",
                    service.records(), service.seconds(), service.rate());
            out.printf(Locale.ROOT, "  CPU meanwhile: rules-service %.1f us, Kafka %.1f us a record%n",
                    service.processCpuMicros(), service.kafkaCpuMicros());

            out.println("raw pass-through on the same records ...");
            Process pass = passThrough(config, records);
            Span raw;
            try {
                raw = await(admin, PASS_THROUGH_TOPIC, partitions, records, pass.pid(), kafka, out);
                if (!pass.waitFor(60, TimeUnit.SECONDS)) {
                    throw new StackException("the pass-through did not end; see " + config.logs().resolve("passthrough.log"));
                }
            } finally {
                pass.destroy();
            }
            out.printf(Locale.ROOT, "pass-through:  %d records in %.2f s from the first to the last: %.0f /s%n",
                    raw.records(), raw.seconds(), raw.rate());
            out.printf(Locale.ROOT, "  CPU meanwhile: pass-through %s, Kafka %.1f us a record%n",
                    Double.isNaN(raw.processCpu()) ? "not measured (it had exited)"
                            : String.format(Locale.ROOT, "%.1f us", raw.processCpuMicros()), raw.kafkaCpuMicros());
            return new Result(id(), "evaluations_per_s", Math.rint(service.rate()), service.rate() / raw.rate());
        }
    }

    /**
     * N snapshots as the collector publishes them, keyed by machine id, with the collector's producer settings and
     * principal.
     */
    static void produce(StackConfig config, int records) throws Exception {
        List<ObjectNode> examples = new ArrayList<>();
        for (String name : EXAMPLES) {
            try (InputStream in = Json.class.getResourceAsStream("examples/" + name)) {
                if (in == null) {
                    throw new StackException("contract example " + name + " is not on the classpath");
                }
                examples.add((ObjectNode) Json.MAPPER.readTree(in));
            }
        }
        Map<String, Object> settings = new HashMap<>(config.kafkaClient(KafkaPrincipals.COLLECTOR));
        settings.putAll(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < records; i++) {
                ObjectNode snapshot = examples.get(i % examples.size()).deepCopy();
                String machineId = String.format(Locale.ROOT, "BENCH-%08d", i);
                String snapshotId = UUID.randomUUID().toString();
                Instant receivedAt = Instant.now();
                snapshot.put("machineId", machineId);
                snapshot.put("hostname", machineId + ".corp.example");
                snapshot.put("snapshotId", snapshotId);
                snapshot.put("receivedAt", receivedAt.toString());
                RecordHeaders headers = new RecordHeaders();
                CloudEvents.binaryHeaders(snapshotId, Topics.SNAPSHOT_EVENT_TYPE, "urn:tlsrollout:collector-service",
                        machineId, receivedAt, headers::add);
                producer.send(new ProducerRecord<>(Topics.SNAPSHOTS, null, machineId,
                        Json.MAPPER.writeValueAsString(snapshot), headers));
            }
            producer.flush();
        }
    }

    private static Process passThrough(StackConfig config, int records) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : config.javaOptions().trim().split("\\s+")) {
            if (!option.isEmpty()) {
                command.add(option);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PassThrough.class.getName(),
                config.bootstrapServers(), Topics.SNAPSHOTS, PASS_THROUGH_TOPIC, "bench-passthrough",
                Integer.toString(records), serviceProperties(config).toString(), config.kafkaCredentialsFile().toString()));
        Files.createDirectories(config.logs());
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(config.logs().resolve("passthrough.log").toFile()).start();
    }

    /** rules-service's settings as packaged: its application.properties in the repository. */
    static Path serviceProperties(StackConfig config) {
        Path p = config.root().resolve("rules-service/src/main/resources/application.properties");
        if (!Files.isRegularFile(p)) {
            throw new StackException(p + " is missing");
        }
        return p;
    }

    /**
     * @param processCpu CPU seconds the process (service or pass-through) used from when its first output record was
     *                   seen to when the last was (sampled every 200 ms); NaN when it had exited by then
     * @param kafkaCpu   the broker's, over the same time
     */
    record Span(long records, long firstMillis, long lastMillis, double processCpu, double kafkaCpu) {
        double processCpuMicros() {
            return processCpu * 1e6 / records;
        }

        double kafkaCpuMicros() {
            return kafkaCpu * 1e6 / records;
        }

        double seconds() {
            return Math.max(1, lastMillis - firstMillis) / 1000.0;
        }

        /** Records after the first, over the time from the first to the last. */
        double rate() {
            return (records - 1) / seconds();
        }
    }

    /** Waits until the topic holds {@code records} records, then reads its first and last record timestamps. */
    private static Span await(Admin admin, String topic, int partitions, long records, long pid, long kafkaPid,
            PrintStream out) throws Exception {
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        long last = -1;
        double[] cpuAtFirst = null;
        long lastChange = System.nanoTime();
        long lastReport = System.nanoTime();
        while (true) {
            long n = sum(admin.listOffsets(specs(tps, OffsetSpec.latest())).all().get());
            if (n > 0 && cpuAtFirst == null) {
                cpuAtFirst = new double[] {BenchStack.cpuSeconds(pid), BenchStack.cpuSeconds(kafkaPid)};
            }
            if (n >= records) {
                break;
            }
            if (n != last) {
                last = n;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > STALL.toNanos()) {
                throw new StackException(topic + " stalled at " + n + " of " + records + " records");
            }
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                out.printf("  %s: %d of %d%n", topic, n, records);
                lastReport = System.nanoTime();
            }
            Thread.sleep(200);
        }
        // A process that has exited (the pass-through, once it forwarded every record) reports no CPU time any more.
        double processCpu = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                ? BenchStack.cpuSeconds(pid) - (cpuAtFirst == null ? 0 : cpuAtFirst[0]) : Double.NaN;
        double kafkaCpu = BenchStack.cpuSeconds(kafkaPid) - (cpuAtFirst == null ? 0 : cpuAtFirst[1]);
        Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(specs(tps, OffsetSpec.latest())).all().get();
        Map<TopicPartition, ListOffsetsResultInfo> firsts = admin.listOffsets(specs(tps, OffsetSpec.forTimestamp(0))).all().get();
        Map<TopicPartition, ListOffsetsResultInfo> maxes = admin.listOffsets(specs(tps, OffsetSpec.maxTimestamp())).all().get();
        long first = firsts.values().stream().filter(i -> i.offset() >= 0).mapToLong(ListOffsetsResultInfo::timestamp)
                .min().orElseThrow();
        long lastTs = maxes.values().stream().filter(i -> i.offset() >= 0).mapToLong(ListOffsetsResultInfo::timestamp)
                .max().orElseThrow();
        return new Span(sum(ends), first, lastTs, processCpu, kafkaCpu);
    }

    private static Map<TopicPartition, OffsetSpec> specs(List<TopicPartition> tps, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> m = new HashMap<>();
        tps.forEach(tp -> m.put(tp, spec));
        return m;
    }

    private static long sum(Map<TopicPartition, ListOffsetsResultInfo> offsets) {
        return offsets.values().stream().mapToLong(i -> Math.max(0, i.offset())).sum();
    }
}
