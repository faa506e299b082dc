package org.tlsrollout.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.tlsrollout.cli.StackConfig;
import org.tlsrollout.cli.TopicReader;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.platform.kafka.KafkaPrincipals;

/**
 * Reads a whole topic (read_committed, from the beginning to its end now; {@link TopicReader}) as the broker's super
 * user and counts its records by a key.
 */
final class TopicScan {
    private TopicScan() {
    }

    /** How many records carry each value of {@code key(record value)}; records whose key is null are skipped. */
    static Map<String, Integer> countBy(StackConfig config, String topic, Function<JsonNode, String> key)
            throws IOException {
        Map<String, Object> client = new HashMap<>(config.kafkaClient(KafkaPrincipals.ADMIN));
        client.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        Map<String, Integer> counts = new HashMap<>();
        TopicReader.readAll(client, topic, Duration.ofMinutes(10), r -> {
            if (r.value() == null) {
                return;
            }
            String k = key.apply(Json.MAPPER.readTree(r.value()));
            if (k != null) {
                counts.merge(k, 1, Integer::sum);
            }
        });
        return counts;
    }

    /** Values seen more than once, and how many records beyond the first they have in all. */
    static long duplicates(Map<String, Integer> counts) {
        return counts.values().stream().mapToLong(n -> n - 1L).sum();
    }
}
