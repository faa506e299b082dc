package org.tlsrollout.remediation.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.tlsrollout.contracts.JobEvent;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.Topics;

/**
 * Writes events (job events, and audit events: {@link #addOne}) to table {@code outbox} on the caller's connection, so that they commit or roll back with the
 * change they tell of (the transactional outbox); {@link OutboxRelay} publishes them. The events of one call share one
 * row, in order (a wave's chunk writes one row for its thousand jobs). No CDI: callers pass the connection of their
 * transaction.
 */
public final class Outbox {
    static final String INSERT = """
            INSERT INTO outbox (topic, type, events, message_keys, event_ids, payloads) VALUES (?, ?, ?, ?, ?, ?)
            """;

    private Outbox() {
    }

    /** Adds the events, each keyed by its machine id, to the transaction of {@code connection}. */
    public static void add(Connection connection, List<JobEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        int n = events.size();
        String[] keys = new String[n];
        String[] ids = new String[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            JobEvent event = events.get(i);
            keys[i] = event.machineId();
            ids[i] = event.eventId();
            try {
                payloads[i] = Json.MAPPER.writeValueAsString(event);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a job event cannot be written as JSON: " + e.getOriginalMessage(), e);
            }
        }
        insert(connection, Topics.JOB_EVENTS, Topics.JOB_EVENT_TYPE, keys, ids, payloads);
    }

    /**
     * Adds one event for {@code topic} (its CloudEvents type {@code type}, its Kafka key {@code key}) to the transaction
     * of {@code connection}; the relay sends each row to the row's topic.
     */
    public static void addOne(Connection connection, String topic, String type, String key, String eventId,
            String payload) throws SQLException {
        insert(connection, topic, type, new String[] {key}, new String[] {eventId}, new String[] {payload});
    }

    private static void insert(Connection connection, String topic, String type, String[] keys, String[] ids,
            String[] payloads) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, topic);
            insert.setString(2, type);
            insert.setInt(3, keys.length);
            insert.setArray(4, connection.createArrayOf("text", keys));
            insert.setArray(5, connection.createArrayOf("text", ids));
            insert.setArray(6, connection.createArrayOf("text", payloads));
            insert.executeUpdate();
        }
    }
}
