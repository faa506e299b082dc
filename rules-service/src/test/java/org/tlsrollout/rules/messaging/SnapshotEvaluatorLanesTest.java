package org.tlsrollout.rules.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import io.smallrye.reactive.messaging.kafka.KafkaShareConsumer;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Examples;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.rules.catalog.RuleCatalog;
import org.tlsrollout.rules.config.RulesConfig;
import org.tlsrollout.rules.metrics.EvaluationMetrics;

/**
 * The lanes without a broker: a lane that fails outside any record's handling fails the next poll; an evaluation
 * Kafka does not take is sent again (on Kafka's own MockProducer).
 */
class SnapshotEvaluatorLanesTest {

    /** No producer: every lane fails before its first record, as with an error no record's handling catches. */
    private static final KafkaClientService NO_PRODUCER = producing(() -> {
        throw new IllegalStateException("no producer for evaluations in this test");
    });

    /**
     * A KafkaClientService whose evaluations producer is the one given (SmallRye's wrapper of it: {@code unwrap}
     * only, which is all SnapshotEvaluator calls).
     */
    @SuppressWarnings("unchecked")
    private static KafkaClientService producing(Supplier<Producer<String, byte[]>> producer) {
        KafkaProducer<String, byte[]> wrapper = (KafkaProducer<String, byte[]>) Proxy.newProxyInstance(
                KafkaProducer.class.getClassLoader(), new Class<?>[] {KafkaProducer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("unwrap")) {
                        return producer.get();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new KafkaClientService() {
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
                return (KafkaProducer<K, V>) wrapper;
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
                return Set.of("evaluations");
            }
        };
    }

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
    void anEvaluationKafkaDidNotTakeIsSentAgainAndItsPollIsDoneOnceKafkaTookIt() throws Exception {
        MockProducer<String, byte[]> kafka = new MockProducer<>(false, null, new StringSerializer(),
                new ByteArraySerializer());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        SnapshotEvaluator evaluator = new SnapshotEvaluator(new RuleCatalog(), new EvaluationMetrics(meters),
                producing(() -> kafka), null, twoLanes());
        try {
            ProducerRecord<String, String> snapshot = SnapshotEvaluatorTest.record("PC-RESEND",
                    SnapshotEvaluatorTest.received(Examples.WIN10_CLIENT_DONE, "PC-RESEND"), Topics.SNAPSHOT_EVENT_TYPE);
            ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(Topics.SNAPSHOTS, 0, 0, -1L,
                    org.apache.kafka.common.record.TimestampType.CREATE_TIME, -1, -1, snapshot.key(),
                    snapshot.value().getBytes(StandardCharsets.UTF_8), snapshot.headers(), Optional.empty());
            CompletableFuture<Void> pending = evaluator.evaluate(new ConsumerRecords<>(Map.of(new TopicPartition(Topics.SNAPSHOTS, 0), List.of(record)),
                    Map.of()));

            awaitSends(kafka, 1);
            kafka.errorNext(new TimeoutException("the broker is down"));
            awaitSends(kafka, 2); // after RESEND_DELAY
            assertThat(pending).as("not done while Kafka has not taken it").isNotDone();
            assertThat(kafka.history().get(1).key()).isEqualTo("PC-RESEND");

            kafka.completeNext();
            pending.get(5, TimeUnit.SECONDS);
            assertThat(meters.get("tlsrollout.evaluations").functionCounter().count()).as("counted once").isEqualTo(1);
        } finally {
            evaluator.stop();
        }
    }

    private static void awaitSends(MockProducer<String, byte[]> kafka, int sends) throws InterruptedException {
        long deadline = System.nanoTime() + SnapshotEvaluator.RESEND_DELAY.plusSeconds(10).toNanos();
        while (kafka.history().size() < sends && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(kafka.history()).as("sends").hasSize(sends);
    }

    @Test
    void aLaneThatFailsOutsideARecordFailsTheNextPollAndItsPollIsNeverDone() throws Exception {
        SnapshotEvaluator evaluator = new SnapshotEvaluator(new RuleCatalog(),
                new EvaluationMetrics(new SimpleMeterRegistry()), NO_PRODUCER, null, twoLanes());
        try {
            CompletableFuture<Void> first = evaluator.evaluate(poll(1)); // queued; its lane then fails

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            IllegalStateException failed = null;
            while (failed == null && System.nanoTime() < deadline) {
                try {
                    evaluator.evaluate(poll(0));
                    Thread.sleep(20);
                } catch (IllegalStateException e) {
                    failed = e;
                }
            }
            assertThat(failed).as("a later poll fails").isNotNull()
                    .hasMessageContaining("an evaluating thread failed")
                    .hasRootCauseMessage("no producer for evaluations in this test");
            assertThat(first).as("the failed poll is never done, so PollCommits never commits it").isNotDone();
            assertThatThrownBy(() -> evaluator.evaluate(poll(1)))
                    .as("and every poll after it").isInstanceOf(IllegalStateException.class);
        } finally {
            evaluator.stop();
        }
    }
}
