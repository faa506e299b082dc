package org.tlsrollout.remediation.service;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.tlsrollout.remediation.outbox.Outbox;

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
                try (PreparedStatement skip = c.prepareStatement("UPDATE wave_target SET state = 'SKIPPED', detail = ?"
                        + " WHERE machine_id = ? AND state = 'PENDING'")) {
                    skip.setString(1, reason);
                    skip.setString(2, machineId);
                    skip.executeUpdate();
                }
                Outbox.add(c, WaveEngine.cancelIssued(c, WaveEngine.IssuedJobsOf.MACHINE, machineId, reason));
                return true;
            }
        });
    }

    /** Brings a retired machine back at once; false when it is unknown. */
    public boolean unretire(String machineId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement update = c.prepareStatement("UPDATE machine SET retired_at = NULL,"
                            + " updated_at = now() WHERE machine_id = ?")) {
                update.setString(1, machineId);
                return update.executeUpdate() > 0;
            }
        });
    }
}
