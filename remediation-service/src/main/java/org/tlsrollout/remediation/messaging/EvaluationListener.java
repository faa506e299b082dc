package org.tlsrollout.remediation.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.remediation.metrics.RolloutMetrics;
import org.tlsrollout.remediation.ingest.EvaluationIngest;
import org.tlsrollout.remediation.ingest.IngestStoppedException;
import org.tlsrollout.remediation.ingest.InvalidEvaluationException;
import org.tlsrollout.remediation.machine.MachineUpdate;

/**
 * Consumes {@link Topics#EVALUATIONS} in batches (one Kafka poll at a time) into the estate state. Adapter only:
 * records in, {@link EvaluationIngest} out, then acknowledgement.
 * <ol>
 * <li>Each record is read; one that is not a valid evaluation (its {@code ce_type} header absent or not the
 * evaluation type included) is put aside. Both forms of api.md are read: every result, or the compact one.</li>
 * <li>The valid ones are written in one transaction ({@link EvaluationIngest#apply}), which returns only once they
 * are committed: a database failure holds the batch and retries it, never acknowledging nor dead-lettering it.</li>
 * <li>The invalid ones, and any the database refuses as data, are nacked one by one: the channel's failure
 * strategy (dead-letter-queue) sends each to {@code tlsrollout.evaluations.v1.dlq} with the reason in its
 * {@code dead-letter-reason} header, and acknowledges it once the dead-letter topic has it.</li>
 * <li>Then the batch is acknowledged, so its offsets are committed.</li>
 * </ol>
 * The batch as a whole is never nacked: that would dead-letter its good records too.
 * <p>
 * Batches may be in process at the same time ({@link #WRITERS}), in separate transactions. Order between them does
 * not matter: a row only ever moves to a later {@code collectedAt}, and a partition's offsets are committed only up
 * to its first batch not yet acknowledged (commit strategy throttled).
 */
@ApplicationScoped
public class EvaluationListener {
    public static final String CHANNEL = "evaluations";
    /**
     * The worker pool of the batches; its {@code max-concurrency} (application.properties) is how many batches are
     * read and written at once: with two, one batch is parsed while the other is in PostgreSQL.
     */
    public static final String WRITERS = "evaluation-writers";
    private static final Logger LOG = Logger.getLogger(EvaluationListener.class);
    /** The CloudEvents type header (binary mode): a record without {@link Topics#EVALUATION_EVENT_TYPE} is refused. */
    static final String CE_TYPE = "ce_type";

    private final EvaluationIngest ingest;
    private final RolloutMetrics metrics;

    public EvaluationListener(EvaluationIngest ingest, RolloutMetrics metrics) {
        this.ingest = ingest;
        this.metrics = metrics;
    }

    @Incoming(CHANNEL)
    @Blocking(value = WRITERS, ordered = false)
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) {
        List<KafkaRecord<String, String>> records = batch.getRecords();
        List<MachineUpdate> updates = new ArrayList<>(records.size());
        List<KafkaRecord<String, String>> sources = new ArrayList<>(records.size());
        List<Rejected> rejected = new ArrayList<>();
        for (KafkaRecord<String, String> record : records) {
            try {
                updates.add(read(record));
                sources.add(record);
            } catch (InvalidEvaluationException e) {
                rejected.add(new Rejected(record, e));
            } catch (RuntimeException e) {
                rejected.add(new Rejected(record, new InvalidEvaluationException("the record cannot be read: " + e, e)));
            }
        }
        try {
            for (EvaluationIngest.Refusal refusal : ingest.apply(updates)) {
                rejected.add(new Rejected(sources.get(refusal.index()), new InvalidEvaluationException(refusal.reason())));
            }
        } catch (IngestStoppedException e) {
            LOG.infof("stopping with %d evaluation records unacknowledged; they will be consumed again", records.size());
            return new CompletableFuture<>();
        }
        CompletableFuture<?>[] deadLettered = rejected.stream()
                .map(r -> deadLetter(r.record(), r.reason()).toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        // Acknowledged only once the dead-letter topic has the rejected records. If it cannot take them, the batch
        // stays unacknowledged (its offsets uncommitted, so it is consumed again) and is not nacked either, which
        // would dead-letter the good records too; the dead-letter handler reports the channel as failed.
        return CompletableFuture.allOf(deadLettered)
                .thenCompose(done -> batch.ack())
                .exceptionally(failure -> {
                    LOG.errorf(failure, "a batch of %d evaluation records stays unacknowledged", records.size());
                    return null;
                });
    }

    private record Rejected(KafkaRecord<String, String> record, InvalidEvaluationException reason) {
    }

    /** The record's evaluation as a row, or {@link InvalidEvaluationException} saying why it can never be one. */
    static MachineUpdate read(KafkaRecord<String, String> record) {
        // The header itself, not SmallRye's CloudEvent metadata (made only when ce_specversion is there too).
        Header header = record.getHeaders() == null ? null : record.getHeaders().lastHeader(CE_TYPE);
        if (header == null || header.value() == null) {
            throw new InvalidEvaluationException("the record has no ce_type header: an evaluation has "
                    + Topics.EVALUATION_EVENT_TYPE);
        }
        String type = new String(header.value(), StandardCharsets.UTF_8);
        if (!type.equals(Topics.EVALUATION_EVENT_TYPE)) {
            throw new InvalidEvaluationException("ce_type '" + type + "' is not " + Topics.EVALUATION_EVENT_TYPE);
        }
        String value = record.getPayload();
        if (value == null || value.isBlank()) {
            throw new InvalidEvaluationException("the record has no value");
        }
        EvaluationEvent event;
        try {
            event = Json.MAPPER.readValue(value, EvaluationEvent.class);
        } catch (JsonProcessingException e) {
            throw new InvalidEvaluationException("the value is not an evaluation: " + e.getOriginalMessage(), e);
        }
        return MachineUpdate.of(event, record.getKey());
    }

    /** Nacks the record, which the failure strategy sends to the dead-letter topic; counted once it is there. */
    private CompletionStage<Void> deadLetter(KafkaRecord<String, String> record, InvalidEvaluationException e) {
        long offset = record.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(IncomingKafkaRecordMetadata::getOffset)
                .orElse(-1L);
        LOG.warnf("evaluation record %s-%d@%d (key %s) goes to the dead-letter topic: %s", record.getTopic(),
                record.getPartition(), offset, record.getKey(), e.getMessage());
        return record.nack(e).thenRun(metrics::evaluationDeadLettered);
    }
}
