package org.tlsrollout.rules.messaging;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The offsets of the snapshot polls, committed in the order of the polls: a poll's once it is done (Kafka acknowledged
 * all of its evaluations) and every poll before it is, so a committed offset never passes a snapshot whose evaluation
 * Kafka has not taken, and never goes back. A poll that is never done holds back every later commit. Holds the
 * offsets only, not the records. Thread-safe.
 */
final class PollCommits {
    private final ArrayDeque<Poll> polls = new ArrayDeque<>();
    private final Consumer<Map<TopicPartition, OffsetAndMetadata>> commit;

    /** @param commit commits offsets without waiting (called in order, one call at a time) */
    PollCommits(Consumer<Map<TopicPartition, OffsetAndMetadata>> commit) {
        this.commit = commit;
    }

    /** Tracks a poll, in the order of the polls: its offsets are committed once {@code done} completes normally. */
    void track(ConsumerRecords<?, ?> records, CompletionStage<Void> done) {
        Poll poll = new Poll(nextOffsets(records));
        synchronized (this) {
            polls.add(poll);
        }
        done.thenRun(() -> done(poll));
    }

    /** Polls tracked and not committed yet. */
    synchronized int waiting() {
        return polls.size();
    }

    /** Waits until every poll tracked so far is committed, or the time is up; true if they all are. */
    synchronized boolean awaitCommitted(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!polls.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    private synchronized void done(Poll poll) {
        poll.done = true;
        Map<TopicPartition, OffsetAndMetadata> offsets = null;
        while (!polls.isEmpty() && polls.peek().done) {
            if (offsets == null) {
                offsets = new HashMap<>();
            }
            offsets.putAll(polls.poll().offsets);
        }
        if (offsets != null) {
            commit.accept(offsets); // under the lock: commits leave in order
            notifyAll();
        }
    }

    /** Per partition, the offset after the poll's last record of it: where a restart reads on. */
    static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<?, ?> records) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<? extends ConsumerRecord<?, ?>> of = records.records(tp);
            next.put(tp, new OffsetAndMetadata(of.get(of.size() - 1).offset() + 1));
        }
        return next;
    }

    private static final class Poll {
        final Map<TopicPartition, OffsetAndMetadata> offsets;
        boolean done;

        Poll(Map<TopicPartition, OffsetAndMetadata> offsets) {
            this.offsets = offsets;
        }
    }
}
