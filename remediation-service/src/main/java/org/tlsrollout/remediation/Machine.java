package org.tlsrollout.remediation;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.tlsrollout.contracts.MachineClass;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.RuleResult;

/**
 * The newest evaluation of one machine (table {@code machine}, db/migration/V1__machines.sql and V2). Read-only
 * here: rows are written by {@code service.MachineStore}'s batch upsert, and their job columns by the jobs
 * ({@code service.JobIssuer}, {@code service.AgentJobs}). The phase states are the stored ones, as rules-service
 * computed them; what a machine shows (STALE, PENDING_RESTART) is {@code service.PhaseStates}. A plain JPA entity
 * for the operator's reads ({@code service.MachineQueries}); the hot paths (ingest, job issue, polls) use JDBC.
 */
@Entity
@Immutable
@Table(name = "machine")
public class Machine {

    @Id
    @Column(name = "machine_id")
    public String machineId;

    @Column(name = "site_code")
    public String siteCode;

    @Convert(converter = MachineClassConverter.class)
    @Column(name = "machine_class")
    public MachineClass machineClass;

    @Column(name = "os_version")
    public String osVersion;

    @Column(name = "roles")
    public String[] roles;

    @Column(name = "collected_at")
    public Instant collectedAt;

    @Column(name = "received_at")
    public Instant receivedAt;

    @Column(name = "evaluated_at")
    public Instant evaluatedAt;

    @Column(name = "snapshot_id")
    public String snapshotId;

    @Column(name = "sequence")
    public Long sequence;

    @Column(name = "last_boot_at")
    public Instant lastBootAt;

    @Column(name = "catalog_version")
    public String catalogVersion;

    @Enumerated(EnumType.STRING)
    @Column(name = "clients_state")
    public PhaseState clientsState;

    @Enumerated(EnumType.STRING)
    @Column(name = "site_systems_state")
    public PhaseState siteSystemsState;

    @Enumerated(EnumType.STRING)
    @Column(name = "verify_state")
    public PhaseState verifyState;

    @Enumerated(EnumType.STRING)
    @Column(name = "disable_legacy_state")
    public PhaseState disableLegacyState;

    /** The results whose status is FAIL or UNKNOWN, with their remediation actions. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "findings")
    public List<RuleResult> findings;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** The phase of a succeeded job that asked for a restart no snapshot has shown yet, or null. */
    @Enumerated(EnumType.STRING)
    @Column(name = "pending_restart_phase")
    public Phase pendingRestartPhase;

    /** When that job was reported (to the second). */
    @Column(name = "pending_restart_since")
    public Instant pendingRestartSince;

    /** Known from inventory only: no snapshot yet ({@code collectedAt} null). */
    @Column(name = "never_reported")
    public boolean neverReported;

    /** When an operator retired it; null while it counts. */
    @Column(name = "retired_at")
    public Instant retiredAt;

    /** The state rules-service gave this machine in {@code phase}. */
    public PhaseState storedState(Phase phase) {
        return switch (phase) {
            case CLIENTS -> clientsState;
            case SITE_SYSTEMS -> siteSystemsState;
            case VERIFY -> verifyState;
            case DISABLE_LEGACY -> disableLegacyState;
        };
    }

    /** The entity attribute that holds the stored state of {@code phase}, for queries. */
    public static String stateAttribute(Phase phase) {
        return switch (phase) {
            case CLIENTS -> "clientsState";
            case SITE_SYSTEMS -> "siteSystemsState";
            case VERIFY -> "verifyState";
            case DISABLE_LEGACY -> "disableLegacyState";
        };
    }

    /** The column that holds the stored state of {@code phase}, for native SQL. */
    public static String stateColumn(Phase phase) {
        return switch (phase) {
            case CLIENTS -> "clients_state";
            case SITE_SYSTEMS -> "site_systems_state";
            case VERIFY -> "verify_state";
            case DISABLE_LEGACY -> "disable_legacy_state";
        };
    }
}
