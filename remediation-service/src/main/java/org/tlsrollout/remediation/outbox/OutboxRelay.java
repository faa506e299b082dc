package org.tlsrollout.remediation.outbox;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.transaction.InvalidTransactionException;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;
import org.tlsrollout.remediation.config.RemediationConfig;

/**
 * Publishes the outbox to Kafka: oldest first, {@code remediation.outbox.batch-size} rows at a time, each batch in one
 * transaction that locks its rows ({@code FOR UPDATE SKIP LOCKED}, so that two instances never publish the same rows
 * at once), sends them (key = machine id, binary CloudEvents with {@code ce_id} = the event id; acks=all,
 * idempotent producer: application.properties), waits until Kafka has acknowledged every one, and only then deletes
 * them and commits. A failure anywhere leaves the rows for the next attempt; a crash after Kafka's acknowledgement
 * and before the commit publishes them again, with the same {@code ce_id}: at least once, deduplicated by consumers.
 * <p>
 * The transaction is suspended while Kafka takes the batch (its row locks stay: the connection's own transaction goes
 * on). The emitter carries the caller's context to the producer thread that acknowledges the send; with the
 * transaction in that context, the commit could find that thread still inside it and fail ("commit invoked while
 * multiple threads active", quarkusio/quarkus#39098, about one commit in a hundred in {@code OutboxTest}), and a
 * batch already on Kafka would be published again.
 */
@ApplicationScoped
public class OutboxRelay {
    public static final String CHANNEL = "job-events";
    static final URI SOURCE = URI.create("urn:tlsrollout:remediation-service");
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final AgroalDataSource dataSource;
    private final TransactionManager transactions;
    private final MutinyEmitter<String> emitter;
    private final RemediationConfig.Outbox config;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean stopping;
    private volatile boolean failing;

    public OutboxRelay(AgroalDataSource dataSource, TransactionManager transactions,
            @Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
            MutinyEmitter<String> emitter,
            RemediationConfig config) {
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.emitter = emitter;
        this.config = config.outbox();
    }

    /** One row of table {@code outbox}. */
    public record Row(long id, String topic, String key, String eventId, String type, String payload, Instant createdAt) {
    }

    @Scheduled(identity = "outbox-relay", every = "${remediation.outbox.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            relay();
            if (failing) {
                LOG.info("job events are published again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warnf("job events wait in the outbox: %s", e.toString());
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
        lock.lock();
        try {
            int total = 0;
            while (!stopping) {
                int n = QuarkusTransaction.requiringNew()
                        .timeout((int) config.publishTimeout().toSeconds() + 30)
                        .call(this::relayBatch);
                total += n;
                if (n < config.batchSize()) {
                    break;
                }
            }
            return total;
        } finally {
            lock.unlock();
        }
    }

    private int relayBatch() throws SQLException, SystemException {
        try (Connection connection = dataSource.getConnection()) {
            List<Row> rows = claim(connection, config.batchSize());
            if (rows.isEmpty()) {
                return 0;
            }
            Transaction claimed = transactions.suspend();
            try {
                publish(rows);
            } finally {
                resume(claimed);
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM outbox WHERE id = ANY(?)")) {
                Long[] ids = rows.stream().map(Row::id).toArray(Long[]::new);
                delete.setArray(1, connection.createArrayOf("bigint", ids));
                delete.executeUpdate();
            }
            return rows.size();
        }
    }

    private void resume(Transaction claimed) throws SystemException {
        try {
            transactions.resume(claimed);
        } catch (InvalidTransactionException e) {
            throw new IllegalStateException("the outbox batch's transaction cannot be resumed: " + e.getMessage(), e);
        }
    }

    /** The oldest rows no other transaction holds, locked until this transaction ends. */
    static List<Row> claim(Connection connection, int limit) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT id, topic, message_key, event_id, type, payload::text, created_at FROM outbox
                ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED
                """)) {
            select.setInt(1, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getTimestamp(7).toInstant()));
                }
            }
        }
        return rows;
    }

    /**
     * Sends the rows, in order, and returns once Kafka has acknowledged all of them.
     *
     * @throws RuntimeException when any is not acknowledged within {@code remediation.outbox.publish-timeout}
     */
    public void publish(List<Row> rows) {
        List<Uni<Void>> sent = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Message<String> message = Message.of(row.payload())
                    .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                            .withTopic(row.topic())
                            .withKey(row.key())
                            .build())
                    .addMetadata(OutgoingCloudEventMetadata.builder()
                            .withId(row.eventId())
                            .withType(row.type())
                            .withSource(SOURCE)
                            .withSubject(row.key())
                            .withDataContentType("application/json")
                            .withTimestamp(row.createdAt().atZone(ZoneOffset.UTC))
                            .build());
            sent.add(emitter.sendMessage(message));
        }
        Uni.join().all(sent).andFailFast().await().atMost(config.publishTimeout());
    }

    void onStop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        stopping = true;
    }
}
