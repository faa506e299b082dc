package org.tlsrollout.remediation.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.tlsrollout.contracts.AuditEvent;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.Topics;

/**
 * Consumes {@link Topics#AUDIT} (group {@code remediation-service-audit}) into table {@code audit}, so that
 * {@code GET /api/v1/audit} lists the other services' actions too (collector-service's AGENT_IDENTITY_RESET). Its own
 * events come back as well and change nothing (same {@code eventId}). A record that is not an audit event (no or
 * another {@code ce_type}, a value that is not one) is nacked: the channel's failure strategy sends it to
 * {@code tlsrollout.audit.v1.dlq}. While the database is down a record is retried, never dead-lettered.
 */
@ApplicationScoped
public class AuditListener {
    public static final String CHANNEL = "audit";
    static final String CE_TYPE = "ce_type";
    private static final Logger LOG = Logger.getLogger(AuditListener.class);
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final AuditTrail trail;
    private volatile boolean stopping;

    public AuditListener(AuditTrail trail) {
        this.trail = trail;
    }

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> consume(KafkaRecord<String, String> record) {
        AuditEvent event;
        try {
            event = read(record);
        } catch (IllegalArgumentException e) {
            LOG.warnf("audit record %s-%d (key %s) goes to the dead-letter topic: %s", record.getTopic(),
                    record.getPartition(), record.getKey(), e.getMessage());
            return record.nack(e);
        }
        long backoff = 200;
        while (true) {
            try {
                trail.store(List.of(event));
                return record.ack();
            } catch (RuntimeException e) {
                if (stopping) {
                    throw e;
                }
                LOG.warnf("audit event %s waits for the database: %s", event.eventId(), e.toString());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }

    /** The record's audit event, or {@link IllegalArgumentException} saying why it can never be one. */
    static AuditEvent read(KafkaRecord<String, String> record) {
        Header header = record.getHeaders() == null ? null : record.getHeaders().lastHeader(CE_TYPE);
        if (header == null || header.value() == null) {
            throw new IllegalArgumentException("the record has no ce_type header: an audit event has "
                    + Topics.AUDIT_EVENT_TYPE);
        }
        String type = new String(header.value(), StandardCharsets.UTF_8);
        if (!type.equals(Topics.AUDIT_EVENT_TYPE)) {
            throw new IllegalArgumentException("ce_type '" + type + "' is not " + Topics.AUDIT_EVENT_TYPE);
        }
        String value = record.getPayload();
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the record has no value");
        }
        try {
            return Json.MAPPER.readValue(value, AuditEvent.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the value is not an audit event: " + e.getOriginalMessage(), e);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }
}
