package org.tlsrollout.remediation;

import java.time.Instant;
import java.util.List;
import org.tlsrollout.contracts.Phase;

/**
 * One row of table {@code wave} (db/migration/V2__waves_and_jobs.sql): a phase rolled out over sites in batches.
 *
 * @param batchSize machines per batch (as asked, or derived from {@code percent})
 * @param percent the batch size as asked in percent of the machines targeted, or null
 * @param currentBatch the batch being issued or awaited, from 1; {@code batches + 1} once all are done
 * @param acceptedBatch the last batch whose failure rate an operator accepted by resuming a HALTED wave
 */
public record Wave(
        String id,
        String name,
        Phase phase,
        List<String> sites,
        List<String> selectorRoles,
        List<String> selectorOsVersions,
        int batchSize,
        Integer percent,
        double maxFailureRate,
        boolean acknowledgeStale,
        WaveState state,
        String rollbackOf,
        int targeted,
        int batches,
        int currentBatch,
        int acceptedBatch,
        String haltedReason,
        Instant createdAt,
        String createdBy,
        Instant updatedAt) {

    /** The columns {@link #read} expects, in order, for {@code SELECT ... FROM wave w}. */
    public static final String COLUMNS = "w.id, w.name, w.phase, w.sites, w.selector_roles, w.selector_os_versions,"
            + " w.batch_size, w.percent, w.max_failure_rate, w.acknowledge_stale, w.state, w.rollback_of, w.targeted,"
            + " w.batches, w.current_batch, w.accepted_batch, w.halted_reason, w.created_at, w.created_by, w.updated_at";

    /** The wave of the current row of a result set selected with {@link #COLUMNS}. */
    public static Wave read(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Wave(
                rs.getString(1),
                rs.getString(2),
                Phase.valueOf(rs.getString(3)),
                strings(rs.getArray(4)),
                strings(rs.getArray(5)),
                strings(rs.getArray(6)),
                rs.getInt(7),
                (Integer) rs.getObject(8),
                rs.getDouble(9),
                rs.getBoolean(10),
                WaveState.valueOf(rs.getString(11)),
                rs.getString(12),
                rs.getInt(13),
                rs.getInt(14),
                rs.getInt(15),
                rs.getInt(16),
                rs.getString(17),
                rs.getTimestamp(18).toInstant(),
                rs.getString(19),
                rs.getTimestamp(20).toInstant());
    }

    /** True once the current batch is past the last. */
    public boolean allBatchesDone() {
        return currentBatch > batches;
    }

    private static List<String> strings(java.sql.Array array) throws java.sql.SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}
