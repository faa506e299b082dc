package org.tlsrollout.rules.messaging;

import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;
import org.tlsrollout.contracts.CloudEvents;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.rules.catalog.RuleCatalog;
import org.tlsrollout.rules.config.RulesConfig;
import org.tlsrollout.rules.metrics.EvaluationMetrics;

/**
 * Snapshots in, evaluations out: every record of {@link Topics#SNAPSHOTS} is evaluated by the whole catalog
 * and published to {@link Topics#EVALUATIONS} keyed by machine id, with CloudEvents headers in binary mode.
 * <p>
 * {@link SnapshotConsumer} hands over a whole poll at a time; the poll's snapshots are evaluated on
 * {@code rules.evaluation-threads} lanes, each a thread that takes the records of its share of the machine ids (each
 * machine's in order, whatever the poll; a poll of one partition is shared too), their evaluations sent with the
 * Kafka producer of the {@code evaluations} channel. A poll is done once Kafka acknowledged every one of its evaluations;
 * only then, and once every earlier poll is, are its offsets committed ({@link PollCommits}; at least once: consumers
 * keep the newest per machine). Up to {@link #POLLS_AHEAD} polls are queued at once, so no lane waits for another at
 * the end of a poll. A record that is not a snapshot (no {@code ce_type} header of {@link Topics#SNAPSHOT_EVENT_TYPE},
 * or a value that is not one), or that the catalog cannot evaluate, goes to {@code tlsrollout.snapshots.v1.dlq}, on
 * the same channel, with SmallRye's dead-letter headers, and the rest of the poll goes on. A record Kafka does not
 * take, even after the producer's own retries (a broker down for minutes), is sent again until it does; its poll
 * waits uncommitted meanwhile. Evaluations are published in api.md's compact form unless
 * {@code rules.compact-evaluations=false}. Per record: a parse, the catalog, one JSON write and one producer send,
 * nothing else (the throughput is measured in docs/benchmarks.md).
 */
@ApplicationScoped
public class SnapshotEvaluator {
    private static final Logger LOG = Logger.getLogger(SnapshotEvaluator.class);
    static final String SOURCE = "urn:tlsrollout:rules-service";
    private static final String DLQ = Topics.dlq(Topics.SNAPSHOTS);
    static final Duration RESEND_DELAY = Duration.ofSeconds(5);
    static final String CE_TYPE = "ce_type";
    /** Polls queued or being evaluated at once: the lanes never wait for each other at the end of a poll. */
    static final int POLLS_AHEAD = 6;
    private static final byte[] SNAPSHOT_TYPE = Topics.SNAPSHOT_EVENT_TYPE.getBytes(StandardCharsets.UTF_8);

    private final RuleCatalog catalog;
    private final EvaluationMetrics metrics;
    private final KafkaClientService clients;
    private final Emitter<byte[]> deadLetters;
    private final Clock clock = Clock.systemUTC();
    private final ExecutorService[] lanes;
    private final Semaphore ahead = new Semaphore(POLLS_AHEAD);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final boolean compact;
    private final EvaluationWriter writer = new EvaluationWriter();
    private volatile Producer<String, byte[]> producer;

    public SnapshotEvaluator(RuleCatalog catalog, EvaluationMetrics metrics, KafkaClientService clients,
            @Channel("evaluations") Emitter<byte[]> deadLetters, RulesConfig config) {
        this.catalog = catalog;
        this.metrics = metrics;
        this.clients = clients;
        this.deadLetters = deadLetters;
        int threads = config.evaluationThreads().orElse(Runtime.getRuntime().availableProcessors() + 1);
        this.compact = config.compactEvaluations();
        if (threads < 1) {
            throw new IllegalArgumentException("rules.evaluation-threads must be at least 1, was " + threads);
        }
        this.lanes = new ExecutorService[threads];
        for (int i = 0; i < threads; i++) {
            String name = "rules-evaluation-" + (i + 1);
            lanes[i] = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
        }
    }

    @PreDestroy
    void stop() {
        for (ExecutorService lane : lanes) {
            lane.shutdownNow();
        }
    }

    /**
     * Queues the poll's records on the lanes, each record on the lane of its key, the machine id (always the same lane
     * for a machine, whatever the poll), so that a machine's snapshots are evaluated and sent in the order of the topic;
     * waits while {@link #POLLS_AHEAD} polls are queued. A lane takes the next poll as soon as it is done with its
     * share of this one. The future completes once Kafka acknowledged every evaluation of the poll. Fails if a lane
     * failed before (an error no record's handling caught), which stops the consumer: the failed poll is never done,
     * so neither its offsets nor any later poll's are committed ({@link PollCommits}).
     */
    CompletableFuture<Void> evaluate(ConsumerRecords<String, byte[]> records) {
        Pending pending = new Pending(records.count());
        Throwable failed = failure.get();
        if (failed != null) {
            throw new IllegalStateException("an evaluating thread failed", failed);
        }
        List<List<ConsumerRecord<String, byte[]>>> shares = new ArrayList<>(lanes.length);
        for (int i = 0; i < lanes.length; i++) {
            shares.add(new ArrayList<>(records.count() / lanes.length + 1));
        }
        for (ConsumerRecord<String, byte[]> record : records) {
            // by key, not by partition: a poll mostly holds one partition's records, which kept one lane idle
            String key = record.key();
            int lane = Math.floorMod(key == null ? record.partition() : key.hashCode(), lanes.length);
            shares.get(lane).add(record);
        }
        try {
            ahead.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing a poll", e);
        }
        AtomicInteger left = new AtomicInteger((int) shares.stream().filter(share -> !share.isEmpty()).count());
        for (int i = 0; i < lanes.length; i++) {
            List<ConsumerRecord<String, byte[]>> share = shares.get(i);
            if (share.isEmpty()) {
                continue;
            }
            lanes[i].execute(() -> {
                try {
                    evaluate(share, pending);
                } catch (Throwable e) {
                    LOG.error("an evaluating thread failed; the consumer stops at the next poll", e);
                    failure.compareAndSet(null, e);
                } finally {
                    if (left.decrementAndGet() == 0) {
                        ahead.release();
                    }
                }
            });
        }
        return pending.all;
    }

    private void evaluate(List<ConsumerRecord<String, byte[]>> records, Pending pending) {
        Producer<String, byte[]> out = producer();
        Instant now = clock.instant();
        HeaderTemplate headers = new HeaderTemplate(now);
        for (ConsumerRecord<String, byte[]> record : records) {
            MachineSnapshot snapshot;
            byte[] json;
            byte[] statuses;
            try {
                checkType(record);
                snapshot = parse(record.value());
                EvaluationEvent evaluation = compact ? catalog.evaluateCompact(snapshot, now)
                        : catalog.evaluate(snapshot, now);
                json = writer.write(evaluation);
                statuses = EvaluationMetrics.statuses(evaluation);
            } catch (IOException | RuntimeException e) {
                LOG.warnf("not a snapshot (%s-%d@%d), sent to %s: %s", record.topic(), record.partition(), record.offset(),
                        DLQ, e.getMessage());
                Message<byte[]> dead = deadLetter(record, e);
                untilWritten("dead letter of", record.topic() + "-" + record.partition() + "@" + record.offset(),
                        attempt -> deadLetters.send(dead.withAck(() -> {
                            attempt.settle(null);
                            return CompletableFuture.completedFuture(null);
                        }).withNack(error -> {
                            attempt.settle(error);
                            return CompletableFuture.completedFuture(null);
                        })), () -> {
                            metrics.deadLettered();
                            pending.done();
                        });
                continue;
            }
            Instant receivedAt = snapshot.receivedAt();
            ProducerRecord<String, byte[]> published = new ProducerRecord<>(Topics.EVALUATIONS, null, snapshot.machineId(),
                    json, headers.of(snapshot));
            untilWritten("evaluation of", snapshot.machineId(), attempt -> out.send(published, attempt), () -> {
                metrics.published(statuses, receivedAt == null ? Duration.ZERO
                        : Duration.between(receivedAt, clock.instant()));
                pending.done();
            });
        }
    }

    /**
     * Sends until Kafka acknowledges: the producer retries on its own for {@code delivery.timeout.ms}; past that (a
     * broker down for minutes) the record is sent again, every {@link #RESEND_DELAY}, and its poll stays
     * undone, so uncommitted, meanwhile. Nothing a poll holds is dropped, and the consumer never fails over it.
     */
    private void untilWritten(String what, String of, Send send, Runnable written) {
        Attempt attempt = new Attempt(what, of, send, written);
        try {
            send.send(attempt);
        } catch (RuntimeException e) { // e.g. the producer's buffer stayed full for max.block.ms
            attempt.settle(e);
        }
    }

    /** One attempt at sending a record. */
    @FunctionalInterface
    private interface Send {
        void send(Attempt attempt);
    }

    /** Settled once, when Kafka took the record (error null) or gave up on it: then it is sent again, later. */
    private final class Attempt implements Callback {
        private final String what;
        private final String of;
        private final Send send;
        private final Runnable written;
        private volatile boolean settled;

        Attempt(String what, String of, Send send, Runnable written) {
            this.what = what;
            this.of = of;
            this.send = send;
            this.written = written;
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception error) {
            settle(error);
        }

        void settle(Throwable error) {
            if (settled) { // a send that both failed its callback and threw: one retry, and one count, only
                return;
            }
            settled = true;
            if (error == null) {
                written.run();
                return;
            }
            LOG.warnf("Kafka did not take the %s %s (%s); sending it again in %d s", what, of, error.getMessage(),
                    RESEND_DELAY.toSeconds());
            CompletableFuture.delayedExecutor(RESEND_DELAY.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(() -> untilWritten(what, of, send, written));
        }
    }

    private Producer<String, byte[]> producer() {
        Producer<String, byte[]> p = producer;
        if (p == null) {
            p = clients.<String, byte[]>getProducer("evaluations").unwrap();
            producer = p;
        }
        return p;
    }

    /** The CloudEvents attributes (binary mode) of api.md: the id is the snapshot's, so a replay keeps it. */
    static RecordHeaders headers(MachineSnapshot snapshot, Instant now) {
        return new HeaderTemplate(now).of(snapshot);
    }

    /**
     * {@link CloudEvents#binaryHeaders} of the evaluations of one time ({@code ce_time}, formatted once for a share of
     * a poll rather than for every record): a record's own headers are the template's with its {@code ce_id} and
     * {@code ce_subject}; the others are the same (immutable) header objects for every record.
     */
    static final class HeaderTemplate {
        private static final String ID = "ce_id";
        private static final String SUBJECT = "ce_subject";
        private final Header[] template;

        HeaderTemplate(Instant now) {
            List<Header> all = new ArrayList<>();
            CloudEvents.binaryHeaders("", Topics.EVALUATION_EVENT_TYPE, SOURCE, "", now,
                    (key, value) -> all.add(new RecordHeader(key, value)));
            template = all.toArray(new Header[0]);
        }

        RecordHeaders of(MachineSnapshot snapshot) {
            String id = snapshot.snapshotId() != null ? snapshot.snapshotId() : snapshot.machineId() + "@" + snapshot.collectedAt();
            Header[] headers = template.clone();
            for (int i = 0; i < headers.length; i++) {
                String key = headers[i].key();
                if (key.equals(ID)) {
                    headers[i] = new RecordHeader(ID, id.getBytes(StandardCharsets.UTF_8));
                } else if (key.equals(SUBJECT)) {
                    headers[i] = new RecordHeader(SUBJECT, snapshot.machineId().getBytes(StandardCharsets.UTF_8));
                }
            }
            return new RecordHeaders(headers);
        }
    }

    /**
     * The record as it came, to the dead-letter topic, with the dead-letter headers SmallRye's own dead-letter queue
     * writes. Rare, so it goes the channel's ordinary way (which also keeps the channel's producer connected).
     */
    static Message<byte[]> deadLetter(ConsumerRecord<String, byte[]> record, Exception reason) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add("dead-letter-exception-class-name", reason.getClass().getName().getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-reason", String.valueOf(reason.getMessage()).getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-topic", record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-partition", Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-offset", Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        return Message.of(record.value(), Metadata.of(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(DLQ).withKey(record.key()).withHeaders(headers).build()));
    }

    /**
     * Only a CloudEvent of the snapshot type is evaluated (its {@code ce_type}, binary mode): anything else on the
     * topic, headerless or of another type, is refused whatever its value holds.
     */
    static void checkType(ConsumerRecord<String, byte[]> record) {
        Header type = record.headers().lastHeader(CE_TYPE);
        if (type == null || type.value() == null) {
            throw new IllegalArgumentException("no " + CE_TYPE + " header; expected " + Topics.SNAPSHOT_EVENT_TYPE);
        }
        if (!Arrays.equals(type.value(), SNAPSHOT_TYPE)) {
            throw new IllegalArgumentException(CE_TYPE + " '" + new String(type.value(), StandardCharsets.UTF_8)
                    + "' is not " + Topics.SNAPSHOT_EVENT_TYPE);
        }
    }

    /**
     * A snapshot as the collector publishes it (UTF-8 JSON, read as bytes by {@link SnapshotReader}); the
     * collector validated it, so only the identity is checked.
     */
    static MachineSnapshot parse(byte[] payload) throws IOException {
        if (payload == null || payload.length == 0) {
            throw new IllegalArgumentException("empty record");
        }
        MachineSnapshot snapshot = SnapshotReader.read(payload);
        if (snapshot == null || snapshot.machineId() == null || snapshot.siteCode() == null
                || snapshot.collectedAt() == null || snapshot.os() == null || snapshot.roles() == null) {
            throw new IllegalArgumentException("machineId, siteCode, collectedAt, os and roles are required");
        }
        return snapshot;
    }

    /** The sends of one poll: completes when Kafka acknowledged all of them. */
    private static final class Pending {
        final CompletableFuture<Void> all = new CompletableFuture<>();
        private final AtomicInteger left;

        Pending(int sends) {
            left = new AtomicInteger(sends);
        }

        void done() {
            if (left.decrementAndGet() == 0) {
                all.complete(null);
            }
        }
    }
}
