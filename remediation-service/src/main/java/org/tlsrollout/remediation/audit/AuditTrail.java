package org.tlsrollout.remediation.audit;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.tlsrollout.contracts.AuditEvent;

/** The audit trail's reads and the writes that have no transaction of their own to join. */
@ApplicationScoped
public class AuditTrail {
    private final AgroalDataSource dataSource;

    public AuditTrail(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What GET /api/v1/audit filters by; null: any. */
    public record Filter(String actor, AuditEvent.Action action, String target, Instant since, Instant until) {
    }

    /** One page of events, newest first, and how many match in all. */
    public record Page(List<AuditEvent> items, long total) {
    }

    /** Records a REFUSED action in a transaction of its own (the refusal changed nothing to commit with). */
    public void refused(String actor, AuditEvent.Action action, String target, int status, String detail) {
        AuditEvent event = Audit.event(actor, action, target, AuditEvent.Outcome.REFUSED, status, detail);
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection()) {
                Audit.record(c, event);
            } catch (SQLException e) {
                throw new IllegalStateException("the refusal could not be audited: " + e.getMessage(), e);
            }
        });
    }

    /** Stores events of the topic (other services' and this one's own coming back); returns how many were new. */
    public int store(List<AuditEvent> events) {
        if (events.isEmpty()) {
            return 0;
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            int added = 0;
            try (Connection c = dataSource.getConnection()) {
                for (AuditEvent event : events) {
                    if (Audit.store(c, event)) {
                        added++;
                    }
                }
            }
            return added;
        });
    }

    /** The events matching the filter, newest first; page {@code page} of {@code size}, or all when size is null. */
    public Page list(Filter filter, int page, Integer size) {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> values = new ArrayList<>();
        if (filter.actor() != null) {
            where.append(" AND actor = ?");
            values.add(filter.actor());
        }
        if (filter.action() != null) {
            where.append(" AND action = ?");
            values.add(filter.action().name());
        }
        if (filter.target() != null) {
            where.append(" AND target = ?");
            values.add(filter.target());
        }
        if (filter.since() != null) {
            where.append(" AND at >= ?");
            values.add(filter.since().atOffset(ZoneOffset.UTC));
        }
        if (filter.until() != null) {
            where.append(" AND at < ?");
            values.add(filter.until().atOffset(ZoneOffset.UTC));
        }
        try (Connection c = dataSource.getConnection()) {
            long total;
            try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM audit" + where)) {
                bind(count, values);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<AuditEvent> items = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT event_id, at, actor, service, action, target,"
                    + " outcome, status, detail FROM audit" + where + " ORDER BY at DESC, event_id"
                    + (size == null ? "" : " LIMIT " + size + " OFFSET " + ((long) page * size)))) {
                bind(select, values);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        items.add(new AuditEvent(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                                rs.getString(3), rs.getString(4), action(rs.getString(5)), rs.getString(6),
                                AuditEvent.Outcome.valueOf(rs.getString(7)), rs.getInt(8), rs.getString(9)));
                    }
                }
            }
            return new Page(items, total);
        } catch (SQLException e) {
            throw new IllegalStateException("the audit trail cannot be read: " + e.getMessage(), e);
        }
    }

    private static AuditEvent.Action action(String name) {
        return AuditEvent.Action.valueOf(name);
    }

    private static void bind(PreparedStatement statement, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            statement.setObject(i + 1, values.get(i));
        }
    }
}
