package org.tlsrollout.remediation.wave;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tlsrollout.contracts.JobEvent;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.remediation.Wave;
import org.tlsrollout.remediation.WaveState;
import org.tlsrollout.remediation.job.JobSummary;
import org.tlsrollout.remediation.machine.PhaseStates;

/** Reads waves (with their counts and history) and jobs, for the API and the metrics. */
@ApplicationScoped
public class WaveQueries {
    public static final int MACHINE_JOBS = 50;

    private final AgroalDataSource dataSource;
    private final PhaseStates phaseStates;

    public WaveQueries(AgroalDataSource dataSource, PhaseStates phaseStates) {
        this.dataSource = dataSource;
        this.phaseStates = phaseStates;
    }

    public Optional<WaveView> wave(String id) {
        try (Connection c = dataSource.getConnection()) {
            Optional<Wave> wave = WaveStore.find(c, id);
            return wave.isEmpty() ? Optional.empty() : Optional.of(view(c, wave.get()));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read wave " + id + ": " + e.getMessage(), e);
        }
    }

    /** Every wave, newest first. */
    public List<WaveView> waves() {
        return waves(null, 0, null).items();
    }

    /** A page of waves and how many match in all. */
    public record Page(List<WaveView> items, long total) {
    }

    /** The waves in {@code state} (null: all), newest first; page {@code page} of {@code size} (null: all of them). */
    public Page waves(WaveState state, int page, Integer size) {
        try (Connection c = dataSource.getConnection()) {
            List<Wave> waves = new ArrayList<>();
            String where = state == null ? "" : " WHERE w.state = ?";
            long total;
            try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM wave w" + where)) {
                if (state != null) {
                    count.setString(1, state.name());
                }
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            try (PreparedStatement select = c.prepareStatement("SELECT " + Wave.COLUMNS + " FROM wave w" + where
                    + " ORDER BY w.created_at DESC, w.id" + (size == null ? "" : " LIMIT " + size + " OFFSET "
                    + (long) page * size))) {
                if (state != null) {
                    select.setString(1, state.name());
                }
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        waves.add(Wave.read(rs));
                    }
                }
            }
            List<WaveView> views = new ArrayList<>(waves.size());
            for (Wave wave : waves) {
                views.add(view(c, wave));
            }
            return new Page(views, total);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the waves: " + e.getMessage(), e);
        }
    }

    /** How many waves are in each state, every state listed (0 included). */
    public Map<WaveState, Long> countByState() {
        Map<WaveState, Long> counts = new EnumMap<>(WaveState.class);
        for (WaveState state : WaveState.values()) {
            counts.put(state, 0L);
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT state, count(*) FROM wave GROUP BY state");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                counts.put(WaveState.valueOf(rs.getString(1)), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the waves: " + e.getMessage(), e);
        }
        return counts;
    }

    /** The machine's newest jobs, at most {@value #MACHINE_JOBS}. */
    public List<JobSummary> jobsOf(String machineId) {
        List<JobSummary> jobs = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT id, wave_id, phase, state, seq, issued_at,"
                        + " reported_at, detail FROM job WHERE machine_id = ? ORDER BY issued_at DESC, seq DESC LIMIT ?")) {
            select.setString(1, machineId);
            select.setInt(2, MACHINE_JOBS);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    jobs.add(new JobSummary(rs.getString(1), rs.getString(2), Phase.valueOf(rs.getString(3)),
                            JobEvent.Kind.valueOf(rs.getString(4)), rs.getLong(5), instant(rs.getTimestamp(6)),
                            instant(rs.getTimestamp(7)), rs.getString(8)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the jobs of machine " + machineId + ": " + e.getMessage(), e);
        }
        return jobs;
    }

    private WaveView view(Connection c, Wave w) throws SQLException {
        Map<JobEvent.Kind, Long> jobs = new EnumMap<>(JobEvent.Kind.class);
        for (JobEvent.Kind state : JobEvent.Kind.values()) {
            jobs.put(state, 0L);
        }
        try (PreparedStatement select = c.prepareStatement(
                "SELECT state, count(*) FROM job WHERE wave_id = ? GROUP BY state")) {
            select.setString(1, w.id());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    jobs.put(JobEvent.Kind.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
        }
        long issued = jobs.values().stream().mapToLong(Long::longValue).sum();
        long pendingRestart;
        long verified;
        long skipped;
        String state = PhaseStates.stateColumn(w.phase());
        try (PreparedStatement select = c.prepareStatement("SELECT"
                + " count(*) FILTER (WHERE m." + state + " <> 'NOT_APPLICABLE' AND m.collected_at >= ?"
                + "     AND m.pending_restart_phase = ?),"
                + " count(*) FILTER (WHERE m." + state + " = 'COMPLIANT' AND m.collected_at >= ?"
                + "     AND m.pending_restart_phase IS DISTINCT FROM ?),"
                + " count(*) FILTER (WHERE t.state = 'SKIPPED')"
                + " FROM wave_target t JOIN machine m ON m.machine_id = t.machine_id WHERE t.wave_id = ?")) {
            var staleBefore = phaseStates.staleBefore().atOffset(ZoneOffset.UTC);
            select.setObject(1, staleBefore);
            select.setString(2, w.phase().name());
            select.setObject(3, staleBefore);
            select.setString(4, w.phase().name());
            select.setString(5, w.id());
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                pendingRestart = rs.getLong(1);
                verified = rs.getLong(2);
                skipped = rs.getLong(3);
            }
        }
        List<WaveView.HistoryEntry> history = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT at, actor, action, from_state, to_state, detail"
                + " FROM wave_event WHERE wave_id = ? ORDER BY id")) {
            select.setString(1, w.id());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String from = rs.getString(4);
                    history.add(new WaveView.HistoryEntry(instant(rs.getTimestamp(1)), rs.getString(2), rs.getString(3),
                            from == null ? null : WaveState.valueOf(from), WaveState.valueOf(rs.getString(5)),
                            rs.getString(6)));
                }
            }
        }
        WaveView.Counts counts = new WaveView.Counts(w.targeted(), issued, jobs.get(JobEvent.Kind.SUCCEEDED),
                jobs.get(JobEvent.Kind.FAILED), jobs.get(JobEvent.Kind.REJECTED), pendingRestart, verified,
                jobs.get(JobEvent.Kind.EXPIRED), jobs.get(JobEvent.Kind.CANCELLED), skipped);
        return new WaveView(w.id(), w.name(), w.phase(), w.sites(), w.state(), counts, w.createdAt(), w.createdBy(),
                w.updatedAt(), w.batchSize(), w.percent(), w.batches(), Math.min(w.currentBatch(), w.batches()),
                w.maxFailureRate(), new WaveRequest.Selector(w.selectorRoles(), w.selectorOsVersions()),
                w.acknowledgeStale(), w.rollbackOf(), w.haltedReason(), history);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
