package org.tlsrollout.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a whole topic: every partition from its beginning to its end offsets as they are when the read begins, with
 * a consumer of no group (partitions assigned, nothing committed), read_committed unless the client says otherwise.
 * For the benchmarks and the reliability runs, which check or time what a stack's topics hold.
 */
public final class TopicReader {
    private TopicReader() {
    }

    /** What is done with each record read. */
    @FunctionalInterface
    public interface Handler {
        void accept(ConsumerRecord<String, String> record) throws IOException;
    }

    /**
     * Hands every record of {@code topic} to {@code handler}, in each partition's order.
     *
     * @param client the consumer's connection settings (e.g. {@link StackConfig#kafkaClient}) and any other
     *               consumer settings (e.g. {@code max.poll.records})
     * @throws IOException when the end is not reached within {@code timeout}, or as the handler throws
     */
    public static void readAll(Map<String, Object> client, String topic, Duration timeout, Handler handler)
            throws IOException {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    handler.accept(r);
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("could not read " + topic + " to its end in " + timeout.toSeconds() + " s");
                }
            }
        }
    }
}
