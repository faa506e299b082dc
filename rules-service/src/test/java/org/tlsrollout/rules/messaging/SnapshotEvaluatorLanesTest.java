package org.tlsrollout.rules.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import io.smallrye.reactive.messaging.kafka.KafkaShareConsumer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.rules.catalog.RuleCatalog;
import org.tlsrollout.rules.config.RulesConfig;
import org.tlsrollout.rules.metrics.EvaluationMetrics;

/** The lanes without Kafka: a lane that fails outside any record's handling fails the channel at the next poll. */
class SnapshotEvaluatorLanesTest {

    /** No producer: every lane fails before its first record, as with an error no record's handling catches. */
    private static final KafkaClientService NO_PRODUCER = new KafkaClientService() {
        @Override
        public <K, V> List<KafkaConsumer<K, V>> getConsumers(String channel) {
            return List.of();
        }

        @Override
        public <K, V> List<KafkaShareConsumer<K, V>> getShareConsumers(String channel) {
            return List.of();
        }

        @Override
        public <K, V> KafkaProducer<K, V> getProducer(String channel) {
            throw new IllegalStateException("no producer for " + channel + " in this test");
        }

        @Override
        public Set<String> getConsumerChannels() {
            return Set.of();
        }

        @Override
        public Set<String> getShareConsumerChannels() {
            return Set.of();
        }

        @Override
        public Set<String> getProducerChannels() {
            return Set.of();
        }
    };

    private static RulesConfig twoLanes() {
        return new RulesConfig() {
            @Override
            public Optional<Set<String>> kb3140245SupersededBy() {
                return Optional.empty();
            }

            @Override
            public Optional<Set<String>> laterRollups() {
                return Optional.empty();
            }

            @Override
            public boolean disableLegacyIncludeClients() {
                return false;
            }

            @Override
            public boolean compactEvaluations() {
                return true;
            }

            @Override
            public Optional<Integer> evaluationThreads() {
                return Optional.of(2);
            }
        };
    }

    private static ConsumerRecords<String, byte[]> poll(int partition) {
        TopicPartition tp = new TopicPartition(Topics.SNAPSHOTS, partition);
        return new ConsumerRecords<>(Map.of(tp, List.of(new ConsumerRecord<>(Topics.SNAPSHOTS, partition, 0, "PC-1",
                "{}".getBytes()))), Map.of());
    }

    @Test
    void aLaneThatFailsOutsideARecordFailsTheNextPollAndItsPollIsNeverDone() throws Exception {
        SnapshotEvaluator evaluator = new SnapshotEvaluator(new RuleCatalog(),
                new EvaluationMetrics(new SimpleMeterRegistry()), NO_PRODUCER, null, twoLanes());
        try {
            SnapshotEvaluator.Pending first = new SnapshotEvaluator.Pending(1);
            evaluator.evaluate(poll(1), first); // queued; its lane then fails

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            IllegalStateException failed = null;
            while (failed == null && System.nanoTime() < deadline) {
                try {
                    evaluator.evaluate(poll(0), new SnapshotEvaluator.Pending(1));
                    Thread.sleep(20);
                } catch (IllegalStateException e) {
                    failed = e;
                }
            }
            assertThat(failed).as("a later poll fails").isNotNull()
                    .hasMessageContaining("an evaluating thread failed")
                    .hasRootCauseMessage("no producer for evaluations in this test");
            assertThat(first.all).as("the failed poll is never done, so PollCommits never commits it").isNotDone();
            assertThatThrownBy(() -> evaluator.evaluate(poll(1), new SnapshotEvaluator.Pending(1)))
                    .as("and every poll after it").isInstanceOf(IllegalStateException.class);
        } finally {
            evaluator.stop();
        }
    }
}
