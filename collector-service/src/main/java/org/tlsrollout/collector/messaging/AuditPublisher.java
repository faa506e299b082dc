package org.tlsrollout.collector.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.ZoneOffset;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.tlsrollout.contracts.AuditEvent;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.Topics;

/**
 * Publishes operators' actions to {@link Topics#AUDIT}, keyed by target, as binary CloudEvents whose id is the
 * event id. The returned Uni completes only when the broker has acknowledged the record (acks=all, idempotent
 * producer: see application.properties).
 */
@ApplicationScoped
public class AuditPublisher {
    public static final String CHANNEL = "audit";
    public static final String SERVICE = "collector-service";
    private static final URI SOURCE = URI.create("urn:tlsrollout:collector-service");

    private final MutinyEmitter<String> emitter;

    public AuditPublisher(@Channel(CHANNEL) MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> publish(AuditEvent event) {
        String value;
        try {
            value = Json.MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        Message<String> message = Message.of(value)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.target()).build())
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(event.eventId())
                        .withType(Topics.AUDIT_EVENT_TYPE)
                        .withSource(SOURCE)
                        .withSubject(event.target())
                        .withTimestamp(event.at().atZone(ZoneOffset.UTC))
                        .build());
        return Uni.createFrom().deferred(() -> emitter.sendMessage(message));
    }
}
