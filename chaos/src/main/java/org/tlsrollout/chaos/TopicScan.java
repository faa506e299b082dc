package org.tlsrollout.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.tlsrollout.cli.StackConfig;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.platform.kafka.KafkaPrincipals;

/**
 * Reads a whole topic (read_committed, from the beginning to its end now) as the broker's super user and counts its
 * records by a key.
 */
final class TopicScan {
    private TopicScan() {
    }

    /** How many records carry each value of {@code key(record value)}; records whose key is null are skipped. */
    static Map<String, Integer> countBy(StackConfig config, String topic, Function<JsonNode, String> key)
            throws IOException {
        Properties p = new Properties();
        p.putAll(config.kafkaClient(KafkaPrincipals.ADMIN));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        Map<String, Integer> counts = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (!reached(consumer, end)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() == null) {
                        continue;
                    }
                    String k = key.apply(Json.MAPPER.readTree(r.value()));
                    if (k != null) {
                        counts.merge(k, 1, Integer::sum);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("could not read " + topic + " to its end in 10 minutes");
                }
            }
        }
        return counts;
    }

    private static boolean reached(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Values seen more than once, and how many records beyond the first they have in all. */
    static long duplicates(Map<String, Integer> counts) {
        return counts.values().stream().mapToLong(n -> n - 1L).sum();
    }
}
