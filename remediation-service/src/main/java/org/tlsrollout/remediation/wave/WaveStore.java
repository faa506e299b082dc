package org.tlsrollout.remediation.wave;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tlsrollout.remediation.Wave;
import org.tlsrollout.remediation.WaveState;

/** The statements on tables {@code wave}, {@code wave_event} and {@code wave_target}, on the caller's connection. */
final class WaveStore {
    /** The actor of the changes the engine makes on its own. */
    static final String SYSTEM = "system";

    private WaveStore() {
    }

    /**
     * The wave, locked for the rest of the transaction. With {@code skipLocked}, empty when another transaction holds
     * it (the engine of another instance is advancing it): the caller leaves it alone this time.
     */
    static Optional<Wave> lock(Connection c, String id, boolean skipLocked) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + Wave.COLUMNS + " FROM wave w WHERE w.id = ?"
                + (skipLocked ? " FOR UPDATE SKIP LOCKED" : " FOR UPDATE"))) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(Wave.read(rs)) : Optional.empty();
            }
        }
    }

    static Optional<Wave> find(Connection c, String id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + Wave.COLUMNS + " FROM wave w WHERE w.id = ?")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(Wave.read(rs)) : Optional.empty();
            }
        }
    }

    /** The ids of the waves that may issue jobs, oldest first. */
    static List<String> active(Connection c) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id FROM wave WHERE state IN ('PLANNED', 'RUNNING') ORDER BY created_at, id");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** Records a change of a wave (its history). */
    static void event(Connection c, String waveId, String actor, String action, WaveState from, WaveState to,
            String detail) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO wave_event (wave_id, actor, action, from_state,"
                + " to_state, detail) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, waveId);
            insert.setString(2, actor);
            insert.setString(3, action);
            insert.setString(4, from == null ? null : from.name());
            insert.setString(5, to.name());
            insert.setString(6, detail);
            insert.executeUpdate();
        }
    }

    /** Sets the state (and the reason of a halt, cleared otherwise), and records the change. */
    static void transition(Connection c, Wave wave, WaveState to, String actor, String action, String detail)
            throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE wave SET state = ?, halted_reason = ?, updated_at = now() WHERE id = ?")) {
            update.setString(1, to.name());
            update.setString(2, to == WaveState.HALTED ? detail : null);
            update.setString(3, wave.id());
            update.executeUpdate();
        }
        event(c, wave.id(), actor, action, wave.state(), to, detail);
    }

    static void setCurrentBatch(Connection c, String waveId, int batch) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE wave SET current_batch = ?, updated_at = now() WHERE id = ?")) {
            update.setInt(1, batch);
            update.setString(2, waveId);
            update.executeUpdate();
        }
    }

    static void setAcceptedBatch(Connection c, String waveId, int batch) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE wave SET accepted_batch = ? WHERE id = ?")) {
            update.setInt(1, batch);
            update.setString(2, waveId);
            update.executeUpdate();
        }
    }

    /**
     * Up to {@code limit} targets of the batch that have neither a job nor a reason to have none, in id order, after
     * machine id {@code after} (null: from the first).
     */
    static List<String> pendingTargets(Connection c, String waveId, int batch, String after, int limit)
            throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT machine_id FROM wave_target WHERE wave_id = ?"
                + " AND batch = ? AND state = 'PENDING' AND machine_id > coalesce(?, '') ORDER BY machine_id LIMIT ?")) {
            select.setString(1, waveId);
            select.setInt(2, batch);
            select.setString(3, after);
            select.setInt(4, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /** True once some target of the batch has its job (or was skipped). */
    static boolean batchStarted(Connection c, String waveId, int batch) throws SQLException {
        return exists(c, "SELECT EXISTS (SELECT 1 FROM wave_target WHERE wave_id = ? AND batch = ? AND state <> 'PENDING')",
                waveId, batch);
    }

    /** True while a job of the batch is ISSUED: neither reported, nor expired, nor cancelled. */
    static boolean batchHasOpenJobs(Connection c, String waveId, int batch) throws SQLException {
        return exists(c, "SELECT EXISTS (SELECT 1 FROM job WHERE wave_id = ? AND batch = ? AND state = 'ISSUED')",
                waveId, batch);
    }

    /** True once every target of the batch has its job or was skipped, and none of its jobs is ISSUED. */
    static boolean batchDone(Connection c, String waveId, int batch) throws SQLException {
        return !exists(c, "SELECT EXISTS (SELECT 1 FROM wave_target WHERE wave_id = ? AND batch = ? AND state = 'PENDING')",
                waveId, batch) && !batchHasOpenJobs(c, waveId, batch);
    }

    /** The wave's reported jobs so far, and how many of them failed or were rejected. */
    static FailureRate failureRate(Connection c, String waveId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT count(*) FILTER (WHERE state IN ('FAILED', 'REJECTED')),"
                + " count(*) FILTER (WHERE state IN ('SUCCEEDED', 'FAILED', 'REJECTED')) FROM job WHERE wave_id = ?")) {
            select.setString(1, waveId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return new FailureRate(rs.getLong(1), rs.getLong(2));
            }
        }
    }

    /** (failed + rejected) / reported over a whole wave; 0 while nothing is reported. */
    record FailureRate(long failed, long reported) {
        double rate() {
            return reported == 0 ? 0 : (double) failed / reported;
        }

        boolean above(double max) {
            return rate() > max;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%.3f (%d failed or rejected of %d reported)", rate(), failed,
                    reported);
        }
    }

    private static boolean exists(Connection c, String sql, String waveId, int batch) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, waveId);
            select.setInt(2, batch);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
