package org.tlsrollout.rules.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The snapshots' poll loop on Kafka's own {@link MockConsumer}: which offsets it commits, and when, as polls finish,
 * as partitions are revoked and as it stops.
 */
class PollLoopTest {
    private static final String TOPIC = "snapshots";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    /** Every commit the loop made, in order (MockConsumer's committed() answers 0 for a partition not assigned). */
    private final List<Map<TopicPartition, OffsetAndMetadata>> commitsMade = new CopyOnWriteArrayList<>();
    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest") {
        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            commitsMade.add(Map.copyOf(offsets));
            super.commitSync(offsets);
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
                OffsetCommitCallback callback) {
            commitsMade.add(Map.copyOf(offsets));
            super.commitAsync(offsets, callback);
        }
    };
    /** The polls handed to the loop, each done when the test completes it. */
    private final BlockingQueue<CompletableFuture<Void>> polls = new LinkedBlockingQueue<>();
    private PollLoop loop;
    private Thread thread;

    private void start(Duration revokeWait) {
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0, P1)));
        loop = new PollLoop(consumer, TOPIC, records -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            polls.add(done);
            return done;
        }, Duration.ofMillis(10), revokeWait);
        thread = new Thread(loop, "poll-loop-test");
        thread.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (loop != null) {
            loop.stop();
            polls.forEach(p -> p.complete(null));
            thread.join(10_000);
        }
    }

    /** Adds a record within the loop's next poll, so that it comes in a poll of its own. */
    private CompletableFuture<Void> pollOf(TopicPartition tp, long offset) throws InterruptedException {
        consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>(TOPIC, tp.partition(), offset,
                "PC-" + offset, new byte[0])));
        CompletableFuture<Void> poll = polls.poll(10, TimeUnit.SECONDS);
        assertThat(poll).as("the poll with %s@%d", tp, offset).isNotNull();
        return poll;
    }

    private Map<TopicPartition, OffsetAndMetadata> committed() {
        return consumer.committed(Set.of(P0, P1));
    }

    private void awaitCommitted(TopicPartition tp, long offset) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            OffsetAndMetadata committed = committed().get(tp);
            if (committed != null && committed.offset() == offset) {
                return;
            }
            Thread.sleep(10);
        }
        assertThat(committed().get(tp)).as("committed offset of %s", tp).isEqualTo(new OffsetAndMetadata(offset));
    }

    @Test
    void aPollIsCommittedOnceItAndEveryEarlierPollAreDone() throws Exception {
        start(Duration.ofSeconds(5));
        CompletableFuture<Void> first = pollOf(P0, 0);
        CompletableFuture<Void> second = pollOf(P1, 0);

        second.complete(null);
        Thread.sleep(200); // the loop polls every 10 ms: time for a wrong commit to show
        assertThat(committed()).as("nothing before the first poll is done").isEmpty();

        first.complete(null);
        awaitCommitted(P0, 1);
        awaitCommitted(P1, 1);
        assertThat(loop.state()).isEqualTo(PollLoop.State.POLLING);
    }

    @Test
    void revokedPartitionsHaveThePollsUnderWayCommittedBeforeTheyMoveOn() throws Exception {
        start(Duration.ofSeconds(5));
        CompletableFuture<Void> underWay = pollOf(P0, 0);
        CompletableFuture<List<Map<TopicPartition, OffsetAndMetadata>>> atRevocation = new CompletableFuture<>();
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P1)); // P0 goes to another member: the listener runs on the loop's thread
            atRevocation.complete(List.copyOf(commitsMade));
        });
        Thread.sleep(200); // the rebalance waits for the poll under way meanwhile
        assertThat(atRevocation).isNotDone();

        underWay.complete(null);
        assertThat(atRevocation.get(10, TimeUnit.SECONDS)).as("committed when the rebalance went on")
                .contains(Map.of(P0, new OffsetAndMetadata(1)));
    }

    @Test
    void aPollNotDoneWithinTheRevocationsWaitIsNeverCommittedByThisMember() throws Exception {
        start(Duration.ofMillis(100));
        CompletableFuture<Void> underWay = pollOf(P0, 0);
        CompletableFuture<Void> rebalanced = new CompletableFuture<>();
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P1));
            rebalanced.complete(null);
        });
        rebalanced.get(10, TimeUnit.SECONDS);

        underWay.complete(null); // done only after P0 moved on: its new owner evaluates it again
        CompletableFuture<Void> later = pollOf(P1, 0);
        later.complete(null);
        awaitCommitted(P1, 1);
        assertThat(commitsMade).allSatisfy(offsets -> assertThat(offsets).doesNotContainKey(P0));
    }

    @Test
    void stoppingCommitsThePollsUnderWay() throws Exception {
        start(Duration.ofSeconds(5));
        CompletableFuture<Void> underWay = pollOf(P0, 0);
        Thread stopping = new Thread(loop::stop);
        stopping.start();
        Thread.sleep(100);

        underWay.complete(null);
        thread.join(10_000);
        assertThat(thread.isAlive()).isFalse();
        assertThat(committed()).containsEntry(P0, new OffsetAndMetadata(1));
        assertThat(loop.state()).isEqualTo(PollLoop.State.STOPPED);
    }

    @Test
    void aPollThatCannotBeHandedOverStopsTheLoopFailedAndCommitsNothingMore() throws Exception {
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0, P1)));
        consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 0, "PC-0", new byte[0])));
        loop = new PollLoop(consumer, TOPIC, records -> {
            throw new IllegalStateException("an evaluating thread failed");
        }, Duration.ofMillis(10), Duration.ofSeconds(5));
        thread = new Thread(loop, "poll-loop-test");
        thread.start();

        thread.join(10_000);
        assertThat(loop.state()).isEqualTo(PollLoop.State.FAILED);
        assertThat(commitsMade).isEmpty();
    }
}
