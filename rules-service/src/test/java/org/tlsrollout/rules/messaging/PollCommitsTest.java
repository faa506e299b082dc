package org.tlsrollout.rules.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Topics;

/** Offsets committed poll by poll, in the order of the polls, each once it and every earlier poll is done. */
class PollCommitsTest {
    private static final TopicPartition P0 = new TopicPartition(Topics.SNAPSHOTS, 0);
    private static final TopicPartition P1 = new TopicPartition(Topics.SNAPSHOTS, 1);

    private final List<Map<TopicPartition, OffsetAndMetadata>> committed = new ArrayList<>();
    private final PollCommits commits = new PollCommits(committed::add);

    private static ConsumerRecords<String, byte[]> poll(TopicPartition tp, long first, long last) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (long o = first; o <= last; o++) {
            records.add(new ConsumerRecord<>(tp.topic(), tp.partition(), o, "PC-" + o, new byte[0]));
        }
        return new ConsumerRecords<>(Map.of(tp, records), Map.of());
    }

    @Test
    void aPollIsCommittedAtTheOffsetAfterItsLastRecordOfEachPartition() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        List<ConsumerRecord<String, byte[]>> p0 = List.of(new ConsumerRecord<>(Topics.SNAPSHOTS, 0, 7, "A", new byte[0]),
                new ConsumerRecord<>(Topics.SNAPSHOTS, 0, 9, "B", new byte[0]));
        List<ConsumerRecord<String, byte[]>> p1 = List.of(new ConsumerRecord<>(Topics.SNAPSHOTS, 1, 3, "C", new byte[0]));
        commits.track(new ConsumerRecords<>(Map.of(P0, p0, P1, p1), Map.of()), done);
        assertThat(committed).as("nothing before the poll is done").isEmpty();

        done.complete(null);

        assertThat(committed).containsExactly(Map.of(P0, new OffsetAndMetadata(10), P1, new OffsetAndMetadata(4)));
        assertThat(commits.waiting()).isZero();
    }

    @Test
    void aPollDoneBeforeAnEarlierOneWaitsForItAndBothAreCommittedTogether() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        CompletableFuture<Void> third = new CompletableFuture<>();
        commits.track(poll(P0, 0, 4), first);
        commits.track(poll(P0, 5, 9), second);
        commits.track(poll(P1, 0, 2), third);

        second.complete(null);
        assertThat(committed).as("the second poll waits for the first").isEmpty();
        assertThat(commits.waiting()).isEqualTo(3);

        first.complete(null);
        assertThat(committed).containsExactly(Map.of(P0, new OffsetAndMetadata(10)));

        third.complete(null);
        assertThat(committed).containsExactly(Map.of(P0, new OffsetAndMetadata(10)), Map.of(P1, new OffsetAndMetadata(3)));
    }

    @Test
    void aPollThatIsNeverDoneHoldsBackEveryLaterCommit() {
        CompletableFuture<Void> failed = new CompletableFuture<>();
        CompletableFuture<Void> later = new CompletableFuture<>();
        commits.track(poll(P0, 0, 4), failed);
        commits.track(poll(P1, 0, 4), later);

        failed.completeExceptionally(new IllegalStateException("Kafka never took an evaluation"));
        later.complete(null);

        assertThat(committed).isEmpty();
        assertThat(commits.waiting()).isEqualTo(2);
    }
}
