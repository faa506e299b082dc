package org.tlsrollout.remediation.machine;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tlsrollout.contracts.Phase;

/**
 * Writes evaluations to table {@code machine}: a whole batch in one statement and one transaction. The newest
 * evaluation of a machine wins, whatever the order in which they come and however often: a row is only replaced by
 * one with a later {@code collected_at}; an equal one is the same snapshot again (a replay) and leaves the row.
 * <p>
 * A machine known only from inventory ({@code never_reported}, no {@code collected_at}) takes its first evaluation
 * whole; a retired machine comes back with an evaluation collected after its retirement.
 * <p>
 * The columns of the jobs ({@code pending_restart_*}; the job seq has a table of its own) are never written from an evaluation, with
 * one exception: an evaluation whose {@code lastBootAt} is not before {@code pending_restart_since} shows that the
 * machine restarted after the job that asked for it was reported, and ends PENDING_RESTART. (Boot times are whole
 * seconds, and {@code pending_restart_since} is kept to the second, so "not before" is "after" at that precision.)
 */
@ApplicationScoped
public class MachineStore {

    /**
     * One statement for the whole batch: each column travels as one array parameter, and {@code unnest} turns them
     * back into rows. {@code ON CONFLICT} cannot touch a row twice, so {@link #newestPerMachine} comes first.
     */
    static final String UPSERT = """
            INSERT INTO machine AS m (machine_id, site_code, machine_class, os_version, roles, collected_at,
                received_at, evaluated_at, snapshot_id, sequence, last_boot_at, catalog_version,
                clients_state, site_systems_state, verify_state, disable_legacy_state, findings, updated_at)
            SELECT u.machine_id, u.site_code, u.machine_class, u.os_version, string_to_array(u.roles, ','),
                u.collected_at::timestamptz, u.received_at::timestamptz, u.evaluated_at::timestamptz, u.snapshot_id,
                u.sequence, u.last_boot_at::timestamptz, u.catalog_version,
                u.clients_state, u.site_systems_state, u.verify_state, u.disable_legacy_state, u.findings::jsonb, now()
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                AS u(machine_id, site_code, machine_class, os_version, roles, collected_at, received_at,
                    evaluated_at, snapshot_id, sequence, last_boot_at, catalog_version,
                    clients_state, site_systems_state, verify_state, disable_legacy_state, findings)
            ON CONFLICT (machine_id) DO UPDATE SET
                site_code = excluded.site_code,
                machine_class = excluded.machine_class,
                os_version = excluded.os_version,
                roles = excluded.roles,
                collected_at = excluded.collected_at,
                received_at = excluded.received_at,
                evaluated_at = excluded.evaluated_at,
                snapshot_id = excluded.snapshot_id,
                sequence = excluded.sequence,
                last_boot_at = excluded.last_boot_at,
                catalog_version = excluded.catalog_version,
                clients_state = excluded.clients_state,
                site_systems_state = excluded.site_systems_state,
                verify_state = excluded.verify_state,
                disable_legacy_state = excluded.disable_legacy_state,
                findings = excluded.findings,
                updated_at = excluded.updated_at,
                pending_restart_phase = CASE WHEN excluded.last_boot_at >= m.pending_restart_since
                    THEN NULL ELSE m.pending_restart_phase END,
                pending_restart_since = CASE WHEN excluded.last_boot_at >= m.pending_restart_since
                    THEN NULL ELSE m.pending_restart_since END,
                never_reported = false,
                retired_at = CASE WHEN excluded.collected_at > m.retired_at THEN NULL ELSE m.retired_at END
            WHERE m.collected_at IS NULL OR excluded.collected_at > m.collected_at
            """;

    private final AgroalDataSource dataSource;

    public MachineStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Applies {@code updates} in one transaction, committed when this returns.
     *
     * @return how many rows were inserted or replaced (older and replayed evaluations change nothing)
     * @throws RuntimeException whatever the database answered; nothing of the batch is then written
     */
    public int apply(List<MachineUpdate> updates) {
        if (updates.isEmpty()) {
            return 0;
        }
        List<MachineUpdate> newest = newestPerMachine(updates);
        return QuarkusTransaction.requiringNew().call(() -> write(newest));
    }

    /**
     * One update per machine: the one with the latest {@code collectedAt}, the earliest in the batch among equals
     * (as if they were applied one after another), in machine id order. Batches written at the same time then lock
     * the rows they share in the same order, and cannot deadlock.
     */
    static List<MachineUpdate> newestPerMachine(List<MachineUpdate> updates) {
        Map<String, MachineUpdate> newest = new HashMap<>(updates.size() * 2);
        for (MachineUpdate update : updates) {
            newest.merge(update.machineId(), update,
                    (kept, next) -> next.collectedAt().isAfter(kept.collectedAt()) ? next : kept);
        }
        List<MachineUpdate> rows = new ArrayList<>(newest.values());
        rows.sort(Comparator.comparing(MachineUpdate::machineId));
        return rows;
    }

    private int write(List<MachineUpdate> rows) throws SQLException {
        int n = rows.size();
        String[] machineId = new String[n];
        String[] siteCode = new String[n];
        String[] machineClass = new String[n];
        String[] osVersion = new String[n];
        String[] roles = new String[n];
        String[] collectedAt = new String[n];
        String[] receivedAt = new String[n];
        String[] evaluatedAt = new String[n];
        String[] snapshotId = new String[n];
        Long[] sequence = new Long[n];
        String[] lastBootAt = new String[n];
        String[] catalogVersion = new String[n];
        String[] clients = new String[n];
        String[] siteSystems = new String[n];
        String[] verify = new String[n];
        String[] disableLegacy = new String[n];
        String[] findings = new String[n];
        for (int i = 0; i < n; i++) {
            MachineUpdate row = rows.get(i);
            machineId[i] = row.machineId();
            siteCode[i] = row.siteCode();
            machineClass[i] = row.machineClass();
            osVersion[i] = row.osVersion();
            roles[i] = String.join(",", row.roles());
            collectedAt[i] = text(row.collectedAt());
            receivedAt[i] = text(row.receivedAt());
            evaluatedAt[i] = text(row.evaluatedAt());
            snapshotId[i] = row.snapshotId();
            sequence[i] = row.sequence();
            lastBootAt[i] = text(row.lastBootAt());
            catalogVersion[i] = row.catalogVersion();
            clients[i] = row.phases().get(Phase.CLIENTS).name();
            siteSystems[i] = row.phases().get(Phase.SITE_SYSTEMS).name();
            verify[i] = row.phases().get(Phase.VERIFY).name();
            disableLegacy[i] = row.phases().get(Phase.DISABLE_LEGACY).name();
            findings[i] = row.findingsJson();
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(UPSERT)) {
            Object[][] columns = {machineId, siteCode, machineClass, osVersion, roles, collectedAt, receivedAt,
                evaluatedAt, snapshotId, sequence, lastBootAt, catalogVersion, clients, siteSystems, verify,
                disableLegacy, findings};
            for (int c = 0; c < columns.length; c++) {
                Array array = connection.createArrayOf(columns[c] instanceof Long[] ? "bigint" : "text", columns[c]);
                statement.setArray(c + 1, array);
            }
            return statement.executeUpdate();
        }
    }

    /** ISO-8601 in UTC, which PostgreSQL reads as timestamptz whatever the session's time zone. */
    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
