package org.tlsrollout.remediation.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.tlsrollout.contracts.AuditEvent;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.remediation.outbox.Outbox;

/**
 * Writes audit events on the caller's connection: the row of table {@code audit} and the outbox row that publishes it
 * to {@link Topics#AUDIT}, so that an action DONE and its audit event commit or roll back together. No CDI, as
 * {@link Outbox}.
 */
public final class Audit {
    /** {@link AuditEvent#service()} of this service's events. */
    public static final String SERVICE = "remediation-service";

    static final String INSERT = """
            INSERT INTO audit (event_id, at, actor, service, action, target, outcome, status, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING
            """;

    private Audit() {
    }

    /** An action this service has just decided, at now (to the microsecond PostgreSQL keeps). */
    public static AuditEvent event(String actor, AuditEvent.Action action, String target, AuditEvent.Outcome outcome,
            int status, String detail) {
        return new AuditEvent(UUID.randomUUID().toString(), Instant.now().truncatedTo(ChronoUnit.MICROS), actor, SERVICE,
                action, target, outcome, status, detail);
    }

    /** Records a DONE action in the transaction of {@code connection} (the one that made the change). */
    public static void done(Connection connection, String actor, AuditEvent.Action action, String target, int status,
            String detail) throws SQLException {
        record(connection, event(actor, action, target, AuditEvent.Outcome.DONE, status, detail));
    }

    /** Stores the event and adds it to the outbox, in the transaction of {@code connection}. */
    public static void record(Connection connection, AuditEvent event) throws SQLException {
        store(connection, event);
        String payload;
        try {
            payload = Json.MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an audit event cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        Outbox.addOne(connection, Topics.AUDIT, Topics.AUDIT_EVENT_TYPE, event.target(), event.eventId(), payload);
    }

    /** Stores the event unless one with its id is there already; true when it was new. */
    public static boolean store(Connection connection, AuditEvent event) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, event.eventId());
            insert.setObject(2, event.at().atOffset(ZoneOffset.UTC));
            insert.setString(3, event.actor());
            insert.setString(4, event.service());
            insert.setString(5, event.action().name());
            insert.setString(6, event.target());
            insert.setString(7, event.outcome().name());
            insert.setInt(8, event.status());
            insert.setString(9, event.detail());
            return insert.executeUpdate() == 1;
        }
    }
}
