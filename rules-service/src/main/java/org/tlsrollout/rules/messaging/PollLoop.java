package org.tlsrollout.rules.messaging;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Polls a Kafka consumer on the calling thread, hands each poll whole to {@code evaluate}, and commits the offsets
 * itself, on the same thread (a consumer is single-threaded): each poll's once it is done and every earlier poll is
 * ({@link PollCommits}), without waiting, before the next poll. When partitions are revoked it waits (up to
 * {@code revokeWait}) for the polls under way and commits them synchronously before the group moves on; what is
 * still not done then, or when partitions are lost, is never committed by this member (at least once: the next owner
 * evaluates it again). If {@code evaluate} or polling throws, the loop ends {@link State#FAILED} and commits nothing
 * more.
 */
final class PollLoop implements Runnable {
    private static final Logger LOG = Logger.getLogger(PollLoop.class);

    enum State { STARTING, POLLING, STOPPED, FAILED }

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final Function<ConsumerRecords<String, byte[]>, CompletionStage<Void>> evaluate;
    private final Duration pollTimeout;
    private final Duration revokeWait;
    /** Offsets of done polls, with the commit order they belong to; committed by the polling thread. */
    private final ConcurrentLinkedQueue<Done> done = new ConcurrentLinkedQueue<>();
    /** The commit order of the current assignment and its token; replaced when partitions are revoked or lost. */
    private PollCommits commits;
    private Object order;
    private volatile State state = State.STARTING;
    private volatile boolean running = true;

    /** @param evaluate takes a poll and completes once every one of its records is handled (and may be committed) */
    PollLoop(Consumer<String, byte[]> consumer, String topic,
            Function<ConsumerRecords<String, byte[]>, CompletionStage<Void>> evaluate, Duration pollTimeout,
            Duration revokeWait) {
        this.consumer = consumer;
        this.topic = topic;
        this.evaluate = evaluate;
        this.pollTimeout = pollTimeout;
        this.revokeWait = revokeWait;
        renewCommits();
    }

    State state() {
        return state;
    }

    /** Ends the loop (from any thread): it commits the polls under way, as on a revocation, and returns. */
    void stop() {
        running = false;
        consumer.wakeup();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), new Revocations());
            try {
                while (running) {
                    commitDone();
                    ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout);
                    state = State.POLLING;
                    if (!records.isEmpty()) {
                        commits.track(records, evaluate.apply(records));
                    }
                }
            } catch (WakeupException e) {
                if (running) {
                    throw e;
                }
            }
            commitUnderWay("stopping");
            state = State.STOPPED;
        } catch (Throwable e) {
            state = State.FAILED;
            LOG.error("the snapshots consumer stopped; no offset past the polls done is committed", e);
        }
    }

    /** A new commit order (polling thread only): offsets that the previous one completes later are dropped. */
    private void renewCommits() {
        Object token = new Object();
        order = token;
        commits = new PollCommits(offsets -> done.add(new Done(token, offsets)));
    }

    /** Commits, without waiting, the offsets of the polls done since the last poll. */
    private void commitDone() {
        Map<TopicPartition, OffsetAndMetadata> offsets = drain();
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, (committed, error) -> {
                if (error != null) {
                    LOG.infof("committing %s failed (%s): a later commit covers them, or after a restart or a rebalance"
                            + " their snapshots are evaluated again", committed, error.getMessage());
                }
            });
        }
    }

    /** The offsets of the current commit order's done polls, merged in order; those of an older order are dropped. */
    private Map<TopicPartition, OffsetAndMetadata> drain() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Done d; (d = done.poll()) != null; ) {
            if (d.order == order) {
                offsets.putAll(d.offsets); // a later poll's offset of a partition replaces an earlier one's
            }
        }
        return offsets;
    }

    /** Waits for the polls under way and commits them synchronously; anything not done by then is never committed. */
    private void commitUnderWay(String why) {
        PollCommits under = commits;
        try {
            if (!under.awaitCommitted(revokeWait)) {
                LOG.warnf("%s: %d polls not done after %d s; their snapshots will be evaluated again", why,
                        under.waiting(), revokeWait.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = drain();
        renewCommits();
        if (!offsets.isEmpty()) {
            try {
                try {
                    consumer.commitSync(offsets);
                } catch (WakeupException e) { // stop()'s, when it came outside a poll
                    consumer.commitSync(offsets);
                }
            } catch (RuntimeException e) {
                LOG.infof("%s: committing %s failed (%s); their snapshots will be evaluated again", why, offsets,
                        e.getMessage());
            }
        }
    }

    private record Done(Object order, Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    /** Called by the consumer within a poll, on the polling thread. */
    private final class Revocations implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                commitUnderWay("partitions revoked");
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            renewCommits(); // another member owns them already: nothing of the polls under way is committed
            drain();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    }
}
