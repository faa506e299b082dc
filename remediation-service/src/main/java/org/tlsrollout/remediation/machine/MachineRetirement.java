package org.tlsrollout.remediation.machine;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.tlsrollout.contracts.AuditEvent;
import org.tlsrollout.remediation.audit.Audit;
import org.tlsrollout.remediation.outbox.Outbox;
import org.tlsrollout.remediation.ingest.InventoryImport;
import org.tlsrollout.remediation.wave.WaveEngine;

/**
 * Retiring a machine (api.md): it leaves progress, the orphan gate, the metrics and every wave. Its targets not yet
 * issued are SKIPPED and its unreported jobs CANCELLED (no longer served), in the same transaction. The way back: an
 * evaluation collected after the retirement ({@link MachineStore}), an inventory line whose {@code lastSeenAt} is after
 * it ({@link InventoryImport}), or {@link #unretire}.
 */
@ApplicationScoped
public class MachineRetirement {
    private final AgroalDataSource dataSource;

    public MachineRetirement(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Retires the machine (again: nothing changes); false when it is unknown. */
    public boolean retire(String machineId, String actor) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                try (PreparedStatement update = c.prepareStatement("UPDATE machine SET retired_at = COALESCE(retired_at,"
                        + " now()), updated_at = now() WHERE machine_id = ?")) {
                    update.setString(1, machineId);
                    if (update.executeUpdate() == 0) {
                        return false;
                    }
                }
                String reason = "machine retired by " + actor;
                int skipped;
                try (PreparedStatement skip = c.prepareStatement("UPDATE wave_target SET state = 'SKIPPED', detail = ?"
                        + " WHERE machine_id = ? AND state = 'PENDING'")) {
                    skip.setString(1, reason);
                    skip.setString(2, machineId);
                    skipped = skip.executeUpdate();
                }
                var cancelled = WaveEngine.cancelIssued(c, WaveEngine.IssuedJobsOf.MACHINE, machineId, reason);
                Outbox.add(c, cancelled);
                Audit.done(c, actor, AuditEvent.Action.MACHINE_RETIRE, "machine/" + machineId, 200, "retired; "
                        + skipped + " wave target(s) skipped, " + cancelled.size() + " unreported job(s) cancelled");
                return true;
            }
        });
    }

    /** Brings a retired machine back at once; false when it is unknown. */
    public boolean unretire(String machineId, String actor) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                try (PreparedStatement update = c.prepareStatement("UPDATE machine SET retired_at = NULL,"
                        + " updated_at = now() WHERE machine_id = ?")) {
                    update.setString(1, machineId);
                    if (update.executeUpdate() == 0) {
                        return false;
                    }
                }
                Audit.done(c, actor, AuditEvent.Action.MACHINE_UNRETIRE, "machine/" + machineId, 200,
                        "no longer retired");
                return true;
            }
        });
    }
}
