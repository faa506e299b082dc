package org.tlsrollout.collector.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.Topics;

/**
 * Publishes accepted snapshots to {@link Topics#SNAPSHOTS}, keyed by machine id, as binary CloudEvents whose
 * id is the snapshot id. The returned Uni completes only when the broker has acknowledged the record
 * (acks=all, idempotent producer: see application.properties).
 */
@ApplicationScoped
public class SnapshotPublisher {
    public static final String CHANNEL = "snapshots";
    private static final URI SOURCE = URI.create("urn:tlsrollout:collector-service");

    private final MutinyEmitter<String> emitter;
    private final Clock clock = Clock.systemUTC();

    public SnapshotPublisher(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
            MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    /** Adds {@code snapshotId} and {@code receivedAt} to the validated document and publishes it. */
    public Uni<String> publish(String machineId, ObjectNode document) {
        String snapshotId = UUID.randomUUID().toString();
        Instant receivedAt = clock.instant();
        document.put("snapshotId", snapshotId);
        document.put("receivedAt", receivedAt.toString());
        String value;
        try {
            value = Json.MAPPER.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        Message<String> message = Message.of(value)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(machineId).build())
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(snapshotId)
                        .withType(Topics.SNAPSHOT_EVENT_TYPE)
                        .withSource(SOURCE)
                        .withSubject(machineId)
                        .withTimestamp(receivedAt.atZone(java.time.ZoneOffset.UTC))
                        .build());
        return Uni.createFrom().deferred(() -> emitter.sendMessage(message)).replaceWith(snapshotId);
    }
}
