package org.tlsrollout.remediation.outbox;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;
import org.tlsrollout.contracts.CloudEvents;
import org.tlsrollout.remediation.config.RemediationConfig;

/**
 * Publishes the outbox to Kafka: oldest row first, whole rows (each holds the events of one transaction, in order) up to
 * {@code remediation.outbox.batch-size} events at a time (a row larger than that alone), each batch in one transaction
 * that locks its rows ({@code FOR UPDATE SKIP LOCKED}, so that two instances never publish the same rows at once),
 * sends their events to each row's topic ({@code tlsrollout.job-events.v1}, key = machine id;
 * {@code tlsrollout.audit.v1}, key = the audit target; binary CloudEvents with {@code ce_id} = the event id; acks=all, idempotent
 * producer: application.properties), waits until Kafka has acknowledged every one, and only then deletes the rows and
 * commits. A failure anywhere leaves the rows for the next attempt; a crash after Kafka's acknowledgement
 * and before the commit publishes them again, with the same {@code ce_id}: at least once, deduplicated by consumers.
 * <p>
 * The events are sent on the Kafka producer of the {@code job-events} channel itself (its settings, its health),
 * record by record with a callback: the channel's emitter cost much of the relay's CPU (docs/decisions.md,
 * "remediation-service's hot paths"), and it carried the relay's transaction to the producer
 * thread that acknowledged the send, where the commit could find that thread still inside the transaction and fail
 * ("commit invoked while multiple threads active", quarkusio/quarkus#39098, about one commit in a hundred in
 * {@code OutboxTest}), so that a batch already on Kafka was published again. The producer's callbacks carry no
 * context: only this thread takes part in the transaction.
 */
@ApplicationScoped
public class OutboxRelay {
    public static final String CHANNEL = "job-events";
    static final String SOURCE = "urn:tlsrollout:remediation-service";
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final AgroalDataSource dataSource;
    private final KafkaClientService clients;
    private final RemediationConfig.Outbox config;
    private volatile Producer<String, String> producer;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean stopping;
    private volatile boolean failing;

    /**
     * @param channel declares the {@code job-events} channel, whose Kafka sink (and producer) SmallRye then creates;
     *                nothing is sent through it
     */
    public OutboxRelay(AgroalDataSource dataSource, KafkaClientService clients, @Channel(CHANNEL) Emitter<String> channel,
            RemediationConfig config) {
        this.dataSource = dataSource;
        this.clients = clients;
        this.config = config.outbox();
    }

    /** One event of a row of table {@code outbox}. */
    public record Event(String topic, String key, String eventId, String type, String payload, Instant createdAt) {
    }

    /** The rows a batch claimed and the events they hold, in order; {@code more}: rows were left for the next batch. */
    record Batch(List<Long> rowIds, List<Event> events, boolean more) {
    }

    @Scheduled(identity = "outbox-relay", every = "${remediation.outbox.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            relay();
            if (failing) {
                LOG.info("outbox events are published again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warnf("outbox events (job and audit events) wait in the outbox: %s", e.toString());
                failing = true;
            }
        }
    }

    /**
     * Publishes everything in the outbox now, batch after batch, until it is empty (or the application stops).
     *
     * @return how many events were published and deleted
     */
    public int relay() {
        return relay(config.batchSize());
    }

    /** {@link #relay()} in batches of up to {@code maxEvents} events (tests: many small batches, one after another). */
    int relay(int maxEvents) {
        lock.lock();
        try {
            int total = 0;
            boolean more = true;
            while (more && !stopping) {
                Batch batch = QuarkusTransaction.requiringNew()
                        .timeout((int) config.publishTimeout().toSeconds() + 30)
                        .call(() -> relayBatch(maxEvents));
                total += batch.events().size();
                more = batch.more();
            }
            return total;
        } finally {
            lock.unlock();
        }
    }

    private Batch relayBatch(int maxEvents) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            Batch batch = claim(connection, maxEvents);
            if (batch.rowIds().isEmpty()) {
                return batch;
            }
            publish(batch.events());
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM outbox WHERE id = ANY(?)")) {
                delete.setArray(1, connection.createArrayOf("bigint", batch.rowIds().toArray()));
                delete.executeUpdate();
            }
            return batch;
        }
    }

    /**
     * The oldest rows no other transaction holds, as many as fit in {@code maxEvents} events (at least one), locked
     * until this transaction ends, and their events in order. Rows locked beyond that are released at the commit.
     */
    static Batch claim(Connection connection, int maxEvents) throws SQLException {
        List<Long> ids = new ArrayList<>();
        boolean more = false;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, events FROM outbox ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
            select.setInt(1, maxEvents);
            try (ResultSet rs = select.executeQuery()) {
                int events = 0;
                while (rs.next()) {
                    int n = rs.getInt(2);
                    if (!ids.isEmpty() && events + n > maxEvents) {
                        more = true;
                        break;
                    }
                    ids.add(rs.getLong(1));
                    events += n;
                }
                more |= ids.size() == maxEvents;
            }
        }
        List<Event> events = new ArrayList<>();
        if (ids.isEmpty()) {
            return new Batch(ids, events, false);
        }
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT topic, type, message_keys, event_ids, payloads, created_at FROM outbox WHERE id = ANY(?) ORDER BY id
                """)) {
            select.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String topic = rs.getString(1);
                    String type = rs.getString(2);
                    String[] keys = (String[]) rs.getArray(3).getArray();
                    String[] eventIds = (String[]) rs.getArray(4).getArray();
                    String[] payloads = (String[]) rs.getArray(5).getArray();
                    Instant createdAt = rs.getTimestamp(6).toInstant();
                    for (int i = 0; i < keys.length; i++) {
                        events.add(new Event(topic, keys[i], eventIds[i], type, payloads[i], createdAt));
                    }
                }
            }
        }
        return new Batch(ids, events, more);
    }

    /**
     * Sends the events, in order, and returns once Kafka has acknowledged all of them.
     *
     * @throws RuntimeException when any is not acknowledged within {@code remediation.outbox.publish-timeout}
     */
    public void publish(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        Producer<String, String> out = producer();
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        AtomicInteger left = new AtomicInteger(events.size());
        for (Event event : events) {
            RecordHeaders headers = new RecordHeaders();
            CloudEvents.binaryHeaders(event.eventId(), event.type(), SOURCE, event.key(), event.createdAt(), headers::add);
            out.send(new ProducerRecord<>(event.topic(), null, event.key(), event.payload(), headers), (metadata, error) -> {
                if (error != null) {
                    acknowledged.completeExceptionally(error);
                } else if (left.decrementAndGet() == 0) {
                    acknowledged.complete(null);
                }
            });
        }
        try {
            acknowledged.get(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while Kafka took the outbox events", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka did not take the outbox events: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge " + left.get() + " of " + events.size()
                    + " outbox events within " + config.publishTimeout(), e);
        }
    }

    private Producer<String, String> producer() {
        Producer<String, String> p = producer;
        if (p == null) {
            p = clients.<String, String>getProducer(CHANNEL).unwrap();
            producer = p;
        }
        return p;
    }

    void onStop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        stopping = true;
    }
}
