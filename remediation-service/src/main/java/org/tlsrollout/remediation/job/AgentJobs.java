package org.tlsrollout.remediation.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tlsrollout.contracts.AgentJob;
import org.tlsrollout.contracts.JobEvent;
import org.tlsrollout.contracts.JobOutcome;
import org.tlsrollout.contracts.JobResult;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.remediation.metrics.RolloutMetrics;
import org.tlsrollout.remediation.outbox.Outbox;
import org.tlsrollout.remediation.wave.WaveEngine;

/**
 * The agents' side of the jobs (api.md): polling and result reporting.
 * <ul>
 * <li>A machine is served its ISSUED jobs not yet expired, in seq order. Jobs of a paused wave are still served;
 * expired and cancelled ones are not.</li>
 * <li>A result is recorded once, in one transaction with its event in the outbox: the outcome, the agent's detail
 * and the previous values of what it wrote (audit trail only); a SUCCEEDED job that asked for a restart makes the machine
 * PENDING_RESTART in the job's phase. A job that expired or was cancelled after the agent fetched it still takes its
 * first report (the agent may have applied it). Any later report of the same job changes and counts nothing.</li>
 * </ul>
 */
@ApplicationScoped
public class AgentJobs {
    /** The longest detail kept of a report. */
    static final int MAX_DETAIL = 4000;

    private final AgroalDataSource dataSource;
    private final RolloutMetrics metrics;
    private final JobMarks marks;

    public AgentJobs(AgroalDataSource dataSource, RolloutMetrics metrics, JobMarks marks) {
        this.dataSource = dataSource;
        this.metrics = metrics;
        this.marks = marks;
    }

    /**
     * The signed jobs the machine has to apply, in seq order; none, without reading PostgreSQL, when {@link JobMarks}
     * says so.
     */
    public List<AgentJob> pending(String machineId) {
        long mark = marks.lookup(machineId);
        if (mark == JobMarks.NONE) {
            return List.of();
        }
        List<AgentJob> jobs = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT id, jws FROM job WHERE machine_id = ?"
                        + " AND state = 'ISSUED' AND expires_at > now() ORDER BY seq")) {
            select.setString(1, machineId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    jobs.add(new AgentJob(rs.getString(1), rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the jobs of machine " + machineId + ": " + e.getMessage(), e);
        }
        if (jobs.isEmpty()) {
            marks.cleared(machineId, mark);
        }
        return jobs;
    }

    /** What became of a report. */
    public enum Report {
        /** The first report of the job: recorded. */
        RECORDED,
        /** The job had been reported already: nothing changed. */
        ALREADY_REPORTED,
        /** The machine has no such job. */
        UNKNOWN_JOB
    }

    /** Records the result of the machine's job {@code jobId} (idempotent). */
    public Report report(String machineId, String jobId, JobResult result) {
        String previous;
        try {
            previous = Json.MAPPER.writeValueAsString(result.previousValues());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the previous values cannot be written as JSON", e);
        }
        String detail = result.detail() == null ? null
                : result.detail().length() > MAX_DETAIL ? result.detail().substring(0, MAX_DETAIL) + "..." : result.detail();
        Optional<JobEvent> recorded = QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                return record(c, machineId, jobId, result.outcome(), detail, previous);
            }
        });
        if (recorded.isPresent()) {
            metrics.jobReported(recorded.get().siteCode(), recorded.get().phase(), result.outcome());
            return Report.RECORDED;
        }
        return exists(machineId, jobId) ? Report.ALREADY_REPORTED : Report.UNKNOWN_JOB;
    }

    /** The job's event when this was its first report, else empty (already reported, or not the machine's job). */
    private static Optional<JobEvent> record(Connection c, String machineId, String jobId, JobOutcome outcome,
            String detail, String previous) throws SQLException {
        JobEvent event;
        boolean restart;
        try (PreparedStatement update = c.prepareStatement("""
                UPDATE job SET state = ?, reported_at = now(), detail = ?, previous_values = ?::jsonb
                WHERE id = ? AND machine_id = ? AND reported_at IS NULL AND state IN ('ISSUED', 'EXPIRED', 'CANCELLED')
                RETURNING id, wave_id, machine_id, site_code, phase, seq, rules, restart
                """)) {
            update.setString(1, outcome.name());
            update.setString(2, detail);
            update.setString(3, previous);
            update.setString(4, jobId);
            update.setString(5, machineId);
            try (ResultSet rs = update.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                event = WaveEngine.event(JobEvent.Kind.of(outcome), rs, Instant.now(), detail);
                restart = rs.getBoolean(8);
            }
        }
        if (outcome == JobOutcome.SUCCEEDED && restart) {
            try (PreparedStatement update = c.prepareStatement("UPDATE machine SET pending_restart_phase = ?,"
                    + " pending_restart_since = date_trunc('second', now()) WHERE machine_id = ?")) {
                update.setString(1, event.phase().name());
                update.setString(2, machineId);
                update.executeUpdate();
            }
        }
        Outbox.add(c, List.of(event));
        return Optional.of(event);
    }

    private boolean exists(String machineId, String jobId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT EXISTS (SELECT 1 FROM job WHERE id = ? AND machine_id = ?)")) {
            select.setString(1, jobId);
            select.setString(2, machineId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read job " + jobId + ": " + e.getMessage(), e);
        }
    }
}
