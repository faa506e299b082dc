package org.tlsrollout.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.tlsrollout.cli.Component;
import org.tlsrollout.cli.StackConfig;
import org.tlsrollout.cli.StackException;
import org.tlsrollout.cli.TopicReader;
import org.tlsrollout.contracts.CloudEvents;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.platform.kafka.KafkaPrincipals;

/**
 * B7: evaluations from Kafka into PostgreSQL. 100,000 evaluations of {@link Win7Client} (--quick: 20,000) are
 * published as rules-service publishes them while remediation-service (warmed up by a fifth as many first) consumes
 * and stores them; the figure is from the first record sent to the last row stored. The baseline of the same run: a
 * bare Kafka consumer reading those records ({@link TopicReader}), nothing else.
 */
final class EvaluationIngest implements Benchmark {
    static final String HEAP = "-Xmx512m";

    @Override
    public String id() {
        return "B7";
    }

    @Override
    public String description() {
        return "evaluations from Kafka stored in PostgreSQL by remediation-service: 100,000 (--quick: 20,000) against a"
                + " bare consumer reading the same records";
    }

    @Override
    public Result run(StackConfig user, boolean quick, PrintStream out) throws Exception {
        int n = quick ? 20_000 : 100_000;
        BenchStack.quietKafkaClients();
        try (BenchStack stack = BenchStack.start(user, "B7", EnumSet.of(Component.KAFKA, Component.REMEDIATION),
                BenchStack.javaOptions(HEAP), out); Connection db = stack.database()) {
            String warm = "b7warm-" + UUID.randomUUID().toString().substring(0, 6);
            send(stack.config(), warm, n / 5);
            awaitRows(db, warm, n / 5);
            out.printf("B7 warm-up: %,d evaluations stored%n", n / 5);
            String run = "b7-" + UUID.randomUUID().toString().substring(0, 6);
            long t0 = System.nanoTime();
            double sent = send(stack.config(), run, n);
            awaitRows(db, run, n);
            double stored = n / ((System.nanoTime() - t0) / 1e9);
            double consumed = bareConsumer(stack.config(), run, n);
            out.printf(Locale.ROOT, "B7 %,d evaluations: sent at %.0f/s, stored at %.0f/s; a bare consumer reads them at"
                    + " %.0f/s; ratio %.3f%n", n, sent, stored, consumed, stored / consumed);
            return new Result(id(), "evaluations_per_s", Math.round(stored), stored / consumed);
        }
    }

    /** Publishes {@code n} evaluations (machines {@code <run>-<i>}, 20 sites) as rules-service; returns their rate. */
    private static double send(StackConfig config, String run, int n) throws Exception {
        Properties props = new Properties();
        props.putAll(config.kafkaClient(KafkaPrincipals.RULES));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        long t0 = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < n; i++) {
                String id = run + "-" + i;
                RecordHeaders headers = new RecordHeaders();
                CloudEvents.binaryHeaders(UUID.randomUUID().toString(), Topics.EVALUATION_EVENT_TYPE,
                        "urn:tlsrollout:rules-service", id, Instant.now(), headers::add);
                String site = "E" + (char) ('A' + i % 20) + "1";
                producer.send(new ProducerRecord<>(Topics.EVALUATIONS, null, id,
                        Json.MAPPER.writeValueAsString(Win7Client.evaluation(id, site)), headers));
            }
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    /** Waits until {@code n} machine rows of the run are stored; throws when none comes for 3 minutes. */
    private static void awaitRows(Connection db, String run, long n) throws Exception {
        long last = -1;
        long lastChange = System.nanoTime();
        while (true) {
            long rows = count(db, run + "-%");
            if (rows >= n) {
                return;
            }
            if (rows != last) {
                last = rows;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > Duration.ofMinutes(3).toNanos()) {
                throw new StackException("remediation-service stored " + rows + " of " + n + " evaluations and then"
                        + " nothing for 3 minutes");
            }
            Thread.sleep(200);
        }
    }

    private static long count(Connection db, String pattern) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("SELECT count(*) FROM machine WHERE machine_id LIKE ?")) {
            s.setString(1, pattern);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * A bare consumer reads the topic from its start to its end (the warm-up's records, then the run's {@code n});
     * the rate is the run's records over the time from the first record read to the last.
     */
    private static double bareConsumer(StackConfig config, String run, int n) throws IOException {
        Map<String, Object> client = new HashMap<>(config.kafkaClient(KafkaPrincipals.ADMIN));
        client.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        long[] firstAndLast = {0, 0};
        int[] seen = {0};
        TopicReader.readAll(client, Topics.EVALUATIONS, Duration.ofMinutes(5), r -> {
            firstAndLast[1] = System.nanoTime();
            if (firstAndLast[0] == 0) {
                firstAndLast[0] = firstAndLast[1];
            }
            if (r.key() != null && r.key().startsWith(run + "-") && r.value().length() > 0) {
                seen[0]++;
            }
        });
        if (seen[0] < n) {
            throw new StackException("the bare consumer read " + seen[0] + " of " + n + " records of the run");
        }
        return n / ((firstAndLast[1] - firstAndLast[0]) / 1e9);
    }
}
