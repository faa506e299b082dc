package org.tlsrollout.contracts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.BiConsumer;

/**
 * The CloudEvents attributes of a Kafka record in binary content mode (CloudEvents Kafka protocol binding 1.0, 3.2): one
 * {@code ce_} header per attribute and {@code content-type}, the value being the event's JSON data. For the services
 * that send on a Kafka producer of their own (rules-service, remediation-service's outbox relay); SmallRye writes the
 * same headers for a channel with {@code cloud-events-mode=binary} (the collector's).
 */
public final class CloudEvents {
    private static final byte[] SPEC_VERSION = "1.0".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CONTENT_TYPE = "application/json".getBytes(StandardCharsets.UTF_8);

    private CloudEvents() {
    }

    /**
     * Gives each header, in order, to {@code header} (e.g. {@code RecordHeaders::add}).
     *
     * @param id      {@code ce_id}: what a consumer deduplicates by
     * @param type    {@code ce_type}, one of {@link Topics}' event types
     * @param source  {@code ce_source}, a URI naming the sending service
     * @param subject {@code ce_subject}: the machine id, as the record's key
     * @param time    {@code ce_time}
     */
    public static void binaryHeaders(String id, String type, String source, String subject, Instant time,
            BiConsumer<String, byte[]> header) {
        header.accept("ce_specversion", SPEC_VERSION);
        header.accept("ce_id", id.getBytes(StandardCharsets.UTF_8));
        header.accept("ce_type", type.getBytes(StandardCharsets.UTF_8));
        header.accept("ce_source", source.getBytes(StandardCharsets.UTF_8));
        header.accept("ce_subject", subject.getBytes(StandardCharsets.UTF_8));
        header.accept("ce_time", time.toString().getBytes(StandardCharsets.UTF_8));
        header.accept("content-type", CONTENT_TYPE);
    }
}
