package org.tlsrollout.collector.enrollment;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * The binding of each machine id to its agent's public key (table {@code collector.agent_identity}), shared by every
 * collector instance through PostgreSQL. The first enrollment binds (an insert that does nothing when another
 * instance or request bound first); any later one is compared with the stored row, locked, in one transaction.
 */
@ApplicationScoped
public class AgentIdentities {
    private final DataSource dataSource;

    public AgentIdentities(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What an enrollment did to the binding of its machine id. */
    public enum Outcome {
        /** No binding existed: this key is bound now. */
        BOUND,
        /** The bound key enrolled again with a newer proof: site and times updated. */
        RENEWED,
        /** The machine id is bound to another key: nothing changed. */
        OTHER_KEY,
        /** The bound key, but a proof not newer than the last accepted one (a replay): nothing changed. */
        STALE_PROOF
    }

    /**
     * Binds {@code machineId} to the key of {@code thumbprint} if it is not bound, else renews the binding when it is
     * the same key and {@code proofIat} is after the last accepted proof's.
     */
    public Outcome enroll(String machineId, String siteCode, String publicJwk, String thumbprint, long proofIat,
            Instant now) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Outcome outcome = enroll(c, machineId, siteCode, publicJwk, thumbprint, proofIat, now);
                c.commit();
                return outcome;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read or write the binding of " + machineId, e);
        }
    }

    private static Outcome enroll(Connection c, String machineId, String siteCode, String publicJwk,
            String thumbprint, long proofIat, Instant now) throws SQLException {
        Timestamp at = Timestamp.from(now);
        // A release (DELETE) may remove the row between the insert and the select: then insert again.
        for (int attempt = 0; attempt < 3; attempt++) {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO collector.agent_identity (machine_id, "
                    + "public_jwk, thumbprint, site_code, bound_at, last_enrolled_at, last_proof_iat) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (machine_id) DO NOTHING")) {
                insert.setString(1, machineId);
                insert.setString(2, publicJwk);
                insert.setString(3, thumbprint);
                insert.setString(4, siteCode);
                insert.setTimestamp(5, at);
                insert.setTimestamp(6, at);
                insert.setLong(7, proofIat);
                if (insert.executeUpdate() == 1) {
                    return Outcome.BOUND;
                }
            }
            try (PreparedStatement select = c.prepareStatement("SELECT thumbprint, last_proof_iat FROM "
                    + "collector.agent_identity WHERE machine_id = ? FOR UPDATE")) {
                select.setString(1, machineId);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        continue;
                    }
                    if (!row.getString(1).equals(thumbprint)) {
                        return Outcome.OTHER_KEY;
                    }
                    if (proofIat <= row.getLong(2)) {
                        return Outcome.STALE_PROOF;
                    }
                }
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE collector.agent_identity SET site_code = ?, "
                    + "last_enrolled_at = ?, last_proof_iat = ? WHERE machine_id = ?")) {
                update.setString(1, siteCode);
                update.setTimestamp(2, at);
                update.setLong(3, proofIat);
                update.setString(4, machineId);
                update.executeUpdate();
            }
            return Outcome.RENEWED;
        }
        throw new IllegalStateException("the binding of " + machineId + " kept being released while enrolling");
    }

    /** The thumbprint of the key {@code machineId} is bound to, or null. */
    public String thumbprint(String machineId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT thumbprint FROM collector.agent_identity WHERE machine_id = ?")) {
            select.setString(1, machineId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the binding of " + machineId, e);
        }
    }

    /**
     * Releases the binding of {@code machineId}; false when there was none. {@code beforeCommit} runs once the row
     * is deleted, inside the transaction (the row stays locked): when it throws, the release is rolled back.
     */
    public boolean release(String machineId, Runnable beforeCommit) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM collector.agent_identity WHERE machine_id = ?")) {
                delete.setString(1, machineId);
                if (delete.executeUpdate() != 1) {
                    c.rollback();
                    return false;
                }
                beforeCommit.run();
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot release the binding of " + machineId, e);
        }
    }
}
