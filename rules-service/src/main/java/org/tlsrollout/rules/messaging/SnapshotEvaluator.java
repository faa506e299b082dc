package org.tlsrollout.rules.messaging;

import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.rules.catalog.RuleCatalog;
import org.tlsrollout.rules.metrics.EvaluationMetrics;

/**
 * Snapshots in, evaluations out: every record of {@link Topics#SNAPSHOTS} is evaluated by the whole catalog
 * and published to {@link Topics#EVALUATIONS} keyed by machine id. The snapshot's offset is committed only
 * once Kafka acknowledged the evaluation (at least once; consumers keep the newest per machine). A record that
 * is not a snapshot is nacked, which sends it to {@code tlsrollout.snapshots.v1.dlq}.
 */
@ApplicationScoped
public class SnapshotEvaluator {
    private static final Logger LOG = Logger.getLogger(SnapshotEvaluator.class);
    private static final URI SOURCE = URI.create("urn:tlsrollout:rules-service");

    private final RuleCatalog catalog;
    private final EvaluationMetrics metrics;
    private final Clock clock = Clock.systemUTC();

    public SnapshotEvaluator(RuleCatalog catalog, EvaluationMetrics metrics) {
        this.catalog = catalog;
        this.metrics = metrics;
    }

    /*
     * Non-blocking: evaluating is a few microseconds of CPU and touches no I/O. Without it Quarkus treats a method
     * returning a Message as blocking and runs each record on a worker thread in order, two thread hand-offs per
     * record (docs/benchmarks.md, B1).
     */
    @Incoming("snapshots")
    @Outgoing("evaluations")
    @NonBlocking
    public Message<byte[]> evaluate(Message<byte[]> in) {
        MachineSnapshot snapshot;
        try {
            snapshot = parse(in.getPayload());
        } catch (IOException | IllegalArgumentException e) {
            LOG.warnf("not a snapshot, sent to %s: %s", Topics.dlq(Topics.SNAPSHOTS), e.getMessage());
            metrics.deadLettered();
            in.nack(e);
            return null; // skipped: nothing to publish
        }
        Instant now = clock.instant();
        EvaluationEvent evaluation = catalog.evaluate(snapshot, now);
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(evaluation);
        } catch (IOException e) {
            in.nack(e);
            return null;
        }
        String id = snapshot.snapshotId() != null ? snapshot.snapshotId() : snapshot.machineId() + "@" + snapshot.collectedAt();
        Metadata metadata = Metadata.of(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(snapshot.machineId()).build(),
                OutgoingCloudEventMetadata.builder()
                        .withId(id)
                        .withType(Topics.EVALUATION_EVENT_TYPE)
                        .withSource(SOURCE)
                        .withSubject(snapshot.machineId())
                        .withTimestamp(now.atZone(ZoneOffset.UTC))
                        .build());
        Instant receivedAt = snapshot.receivedAt();
        return Message.of(json, metadata,
                () -> {
                    metrics.published(evaluation, receivedAt == null ? Duration.ZERO : Duration.between(receivedAt, clock.instant()));
                    return in.ack();
                },
                reason -> in.nack(reason));
    }

    /**
     * A snapshot as the collector publishes it (UTF-8 JSON, read as bytes: no String on the way in or out); the
     * collector validated it, so only the identity is checked.
     */
    static MachineSnapshot parse(byte[] payload) throws IOException {
        if (payload == null || payload.length == 0) {
            throw new IllegalArgumentException("empty record");
        }
        MachineSnapshot snapshot = Json.MAPPER.readValue(payload, MachineSnapshot.class);
        if (snapshot == null || snapshot.machineId() == null || snapshot.siteCode() == null
                || snapshot.collectedAt() == null || snapshot.os() == null || snapshot.roles() == null) {
            throw new IllegalArgumentException("machineId, siteCode, collectedAt, os and roles are required");
        }
        return snapshot;
    }
}
