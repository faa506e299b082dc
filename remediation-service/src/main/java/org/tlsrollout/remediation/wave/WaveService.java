package org.tlsrollout.remediation.wave;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.tlsrollout.common.problem.Problem;
import org.tlsrollout.common.problem.ProblemException;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.remediation.Wave;
import org.tlsrollout.remediation.WaveState;
import org.tlsrollout.contracts.AuditEvent;
import org.tlsrollout.remediation.audit.Audit;
import org.tlsrollout.remediation.machine.PhaseStates;

/**
 * Creates waves (api.md, POST /api/v1/waves), plans them ({@code dryRun}), and changes their state on an operator's
 * request to roll one back ({@link WaveTransitions} has pause, resume and cancel; {@link WaveSpec} the request's
 * checks). Every change is recorded in the wave's history with who asked for it.
 * <p>
 * A wave targets the machines of its sites that are NONCOMPLIANT in its phase (neither STALE nor PENDING_RESTART
 * there), match its selector, and have no ISSUED job of another wave. They are chosen once, at creation, in one
 * {@code INSERT ... SELECT} in the same transaction as the wave, and spread over the batches in an order drawn from
 * the wave id (each batch a sample of the whole, not one corner of the id space). A DISABLE_LEGACY wave passes the
 * orphan gate first ({@link OrphanGate}).
 */
@ApplicationScoped
public class WaveService {

    /** The machines a wave targets; parameters: see {@link #bindTargets}. */
    private static final String TARGETS = """
            FROM machine m
            WHERE m.site_code = ANY(?)
              AND m.%1$s = 'NONCOMPLIANT'
              AND m.collected_at >= ?
              AND m.retired_at IS NULL
              AND m.pending_restart_phase IS DISTINCT FROM ?
              AND (cardinality(?::text[]) = 0 OR m.roles && ?::text[])
              AND (cardinality(?::text[]) = 0
                   OR EXISTS (SELECT 1 FROM unnest(?::text[]) v WHERE m.os_version = v OR m.os_version LIKE v || '.%%'))
              AND NOT EXISTS (SELECT 1 FROM job j WHERE j.machine_id = m.machine_id AND j.state = 'ISSUED')
            """;

    private final AgroalDataSource dataSource;
    private final PhaseStates phaseStates;
    private final WaveQueries queries;
    private final WaveEngine engine;
    private final int createTimeoutSeconds;

    public WaveService(AgroalDataSource dataSource, PhaseStates phaseStates, WaveQueries queries, WaveEngine engine,
            org.tlsrollout.remediation.config.RemediationConfig config) {
        this.dataSource = dataSource;
        this.phaseStates = phaseStates;
        this.queries = queries;
        this.engine = engine;
        this.createTimeoutSeconds = (int) Math.max(1, config.waves().createTimeout().toSeconds());
    }


    /** What the wave would target now, and whether the gate is open. Writes nothing. */
    public DryRunPlan plan(WaveRequest request) {
        WaveSpec spec = WaveSpec.validate(request);
        Instant staleBefore = phaseStates.staleBefore();
        return QuarkusTransaction.requiringNew().timeout(createTimeoutSeconds).call(() -> {
            try (Connection c = dataSource.getConnection()) {
                // PostgreSQL refuses any write in this transaction: a plan can never change anything.
                try (Statement readOnly = c.createStatement()) {
                    readOnly.execute("SET TRANSACTION READ ONLY");
                }
                OrphanGate.Status gate = spec.phase() == Phase.DISABLE_LEGACY
                        ? OrphanGate.check(c, spec.sites(), spec.acknowledgeStale(), staleBefore)
                        : OrphanGate.Status.notGuarded();
                long targeted;
                try (PreparedStatement count = c.prepareStatement("SELECT count(*) "
                        + TARGETS.formatted(PhaseStates.stateColumn(spec.phase())))) {
                    bindTargets(c, count, 1, spec, staleBefore);
                    try (ResultSet rs = count.executeQuery()) {
                        rs.next();
                        targeted = rs.getLong(1);
                    }
                }
                List<String> sample = new ArrayList<>();
                String planId = UUID.randomUUID().toString();
                try (PreparedStatement select = c.prepareStatement("SELECT m.machine_id "
                        + TARGETS.formatted(PhaseStates.stateColumn(spec.phase())) + " ORDER BY md5(m.machine_id || ?) LIMIT 100")) {
                    int next = bindTargets(c, select, 1, spec, staleBefore);
                    select.setString(next, planId);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            sample.add(rs.getString(1));
                        }
                    }
                }
                int batchSize = WaveSpec.batchSize(spec, targeted);
                return new DryRunPlan(true, spec.phase(), spec.sites(), targeted, batchSize,
                        WaveSpec.batches(targeted, batchSize), gate, sample);
            }
        });
    }

    /** Creates the wave (PLANNED; the engine starts it at once), or refuses it (orphan gate: 409). */
    public WaveView create(WaveRequest request, String actor) {
        return create(request, actor, null).wave();
    }

    /**
     * What a create request did.
     *
     * @param repeated true when an earlier request with the same {@code Idempotency-Key} and body made the wave
     */
    public record Created(WaveView wave, boolean repeated) {
    }

    /** The {@code Idempotency-Key} header's syntax (api.md): 1 to 128 printable ASCII characters. */
    public static final Pattern IDEMPOTENCY_KEY = Pattern.compile("^[\\x20-\\x7E]{1,128}$");

    /**
     * Creates the wave; with an {@code idempotencyKey}, a repeat of the same key and body answers the wave the first
     * request made and creates nothing, and the same key with another body is refused (422). The key is stored in the
     * wave's transaction: its primary key makes a concurrent repeat wait for the first to commit, then find it.
     */
    public Created create(WaveRequest request, String actor, String idempotencyKey) {
        WaveSpec spec = WaveSpec.validate(request);
        Instant staleBefore = phaseStates.staleBefore();
        String id = UUID.randomUUID().toString();
        String digest = idempotencyKey == null ? null : digest(request);
        String existing = QuarkusTransaction.requiringNew().timeout(createTimeoutSeconds).call(() -> {
            try (Connection c = dataSource.getConnection()) {
                if (idempotencyKey != null) {
                    String earlier = claimKey(c, idempotencyKey, digest, id, actor);
                    if (earlier != null) {
                        return earlier;
                    }
                }
                if (spec.phase() == Phase.DISABLE_LEGACY) {
                    OrphanGate.Status gate = OrphanGate.check(c, spec.sites(), spec.acknowledgeStale(), staleBefore);
                    if (!gate.open()) {
                        throw gate.refusal(spec.sites());
                    }
                }
                insertWave(c, id, spec, null, actor);
                int targeted;
                try (PreparedStatement insert = c.prepareStatement("""
                        INSERT INTO wave_target (wave_id, machine_id, batch)
                        SELECT ?, s.machine_id, ((s.rn - 1) / s.size + 1)::int
                        FROM (SELECT m.machine_id, row_number() OVER (ORDER BY md5(m.machine_id || ?)) AS rn,
                                  COALESCE(?::bigint, greatest(1, (count(*) OVER () * ?::bigint + 99) / 100)) AS size
                              """ + TARGETS.formatted(PhaseStates.stateColumn(spec.phase())) + ") s"
                        // Stored by batch in machine id order, the order in which the engine issues and marks them: a
                        // chunk's targets share a few heap pages instead of one page each (B3, docs/benchmarks.md).
                        + " ORDER BY 3, s.machine_id")) {
                    insert.setString(1, id);
                    insert.setString(2, id);
                    insert.setObject(3, spec.batchSize() == null ? null : spec.batchSize().longValue(),
                            java.sql.Types.BIGINT);
                    insert.setObject(4, spec.percent() == null ? null : spec.percent().longValue(), java.sql.Types.BIGINT);
                    bindTargets(c, insert, 5, spec, staleBefore);
                    targeted = insert.executeUpdate();
                }
                int batchSize = WaveSpec.batchSize(spec, targeted);
                int batches = size(c, id, targeted, batchSize, spec.phase());
                WaveStore.event(c, id, actor, "create", null, WaveState.PLANNED, String.format(Locale.ROOT,
                        "%d machine(s) targeted in %d batch(es) of %d%s%s", targeted, batches, batchSize,
                        spec.percent() == null ? "" : " (" + spec.percent() + "%)",
                        spec.acknowledgeStale() ? "; stale machines acknowledged at the orphan gate" : ""));
                Audit.done(c, actor, AuditEvent.Action.WAVE_CREATE, "wave/" + id, 201, String.format(Locale.ROOT,
                        "%s, %s at %s: %d machine(s) in %d batch(es)", spec.name(), spec.phase(),
                        String.join(", ", spec.sites()), targeted, batches));
            }
            return null;
        });
        if (existing != null) {
            return new Created(view(existing), true);
        }
        engine.kick();
        return new Created(view(id), false);
    }

    /**
     * Stores the key for the wave about to be made; when another request stored it first (waiting for its commit),
     * answers that request's wave id, or 422 when its body differed.
     */
    private static String claimKey(Connection c, String key, String digest, String waveId, String actor)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO wave_idempotency_key (idempotency_key,"
                + " request_sha256, wave_id, created_by) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, key);
            insert.setString(2, digest);
            insert.setString(3, waveId);
            insert.setString(4, actor);
            if (insert.executeUpdate() == 1) {
                return null;
            }
        }
        try (PreparedStatement select = c.prepareStatement(
                "SELECT request_sha256, wave_id FROM wave_idempotency_key WHERE idempotency_key = ?")) {
            select.setString(1, key);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("the Idempotency-Key row vanished");
                }
                if (!rs.getString(1).equals(digest)) {
                    throw new ProblemException(Problem.of(422, "idempotency-key-reused", "Idempotency-Key reused",
                            "the Idempotency-Key '" + key + "' was used with another request body"));
                }
                return rs.getString(2);
            }
        }
    }

    /** SHA-256 of the request as JSON (a record: its members always in the same order). */
    private static String digest(WaveRequest request) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(org.tlsrollout.contracts.Json.MAPPER.writeValueAsBytes(request)));
        } catch (java.security.NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot digest the request: " + e.getMessage(), e);
        }
    }

    /** Records how many machines a new wave targets and in how many batches; returns the batches. */
    private static int size(Connection c, String waveId, int targeted, int batchSize, Phase phase)
            throws java.sql.SQLException {
        int batches = phase == Phase.SITE_SYSTEMS || phase == Phase.DISABLE_LEGACY
                ? siteSystemBatches(c, waveId, batchSize) : WaveSpec.batches(targeted, batchSize);
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE wave SET targeted = ?, batch_size = ?, batches = ? WHERE id = ?")) {
            update.setInt(1, targeted);
            update.setInt(2, batchSize);
            update.setInt(3, batches);
            update.setString(4, waveId);
            update.executeUpdate();
        }
        return batches;
    }

    /**
     * Re-orders the batches of a site-system wave ({@link SiteSystemBatches}): at most half of one role of a site per
     * batch, site servers and site database servers last. Returns how many batches it holds.
     */
    private static int siteSystemBatches(Connection c, String waveId, int batchSize) throws SQLException {
        List<SiteSystemBatches.Target> targets = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT t.machine_id, m.site_code, m.roles FROM wave_target t"
                + " JOIN machine m ON m.machine_id = t.machine_id WHERE t.wave_id = ? ORDER BY t.batch, md5(t.machine_id || ?)")) {
            select.setString(1, waveId);
            select.setString(2, waveId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    java.util.Set<org.tlsrollout.contracts.Role> roles = java.util.EnumSet.noneOf(
                            org.tlsrollout.contracts.Role.class);
                    java.sql.Array array = rs.getArray(3);
                    for (String role : array == null ? new String[0] : (String[]) array.getArray()) {
                        try {
                            roles.add(org.tlsrollout.contracts.Role.valueOf(role));
                        } catch (IllegalArgumentException e) {
                            // a role this service does not know groups nothing
                        }
                    }
                    targets.add(new SiteSystemBatches.Target(rs.getString(1), rs.getString(2), roles));
                }
            }
        }
        java.util.Map<String, Integer> plan = SiteSystemBatches.plan(targets, batchSize);
        String[] ids = plan.keySet().toArray(String[]::new);
        Integer[] batches = new Integer[ids.length];
        for (int i = 0; i < ids.length; i++) {
            batches[i] = plan.get(ids[i]);
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE wave_target t SET batch = u.batch"
                + " FROM unnest(?::text[], ?::int[]) AS u(machine_id, batch) WHERE t.wave_id = ? AND t.machine_id = u.machine_id")) {
            update.setArray(1, c.createArrayOf("text", ids));
            update.setArray(2, c.createArrayOf("integer", batches));
            update.setString(3, waveId);
            update.executeUpdate();
        }
        return SiteSystemBatches.count(plan);
    }

    /**
     * A new wave undoing, on the machines where {@code id}'s jobs SUCCEEDED, those jobs: UNDO_JOB of each (newest
     * first) then RESTART, never values (rules.md); same phase, sites and batching. Installed updates and
     * software are not undone. The wave must no longer issue jobs by itself (not PLANNED nor RUNNING).
     */
    public WaveView rollback(String id, String actor) {
        String rollbackId = UUID.randomUUID().toString();
        QuarkusTransaction.requiringNew().timeout(createTimeoutSeconds).call(() -> {
            try (Connection c = dataSource.getConnection()) {
                Wave original = WaveStore.lock(c, id, false).orElseThrow(() -> unknown(id));
                if (!original.state().canRollBack()) {
                    throw illegal(original, "rolled back", "pause or cancel it first, or let it complete");
                }
                WaveSpec spec = new WaveSpec("Rollback of " + original.name(), original.phase(), original.sites(),
                        original.selectorRoles(), original.selectorOsVersions(),
                        original.percent() == null ? original.batchSize() : null, original.percent(),
                        original.maxFailureRate(), original.acknowledgeStale());
                insertWave(c, rollbackId, spec, id, actor);
                int targeted;
                try (PreparedStatement insert = c.prepareStatement("""
                        INSERT INTO wave_target (wave_id, machine_id, batch)
                        SELECT ?, s.machine_id, ((s.rn - 1) / s.size + 1)::int
                        FROM (SELECT j.machine_id, row_number() OVER (ORDER BY md5(j.machine_id || ?)) AS rn,
                                  COALESCE(?::bigint, greatest(1, (count(*) OVER () * ?::bigint + 99) / 100)) AS size
                              FROM (SELECT DISTINCT machine_id FROM job WHERE wave_id = ?
                                    AND state = 'SUCCEEDED') j) s
                        ORDER BY 3, s.machine_id
                        """)) {
                    insert.setString(1, rollbackId);
                    insert.setString(2, rollbackId);
                    insert.setObject(3, spec.batchSize() == null ? null : spec.batchSize().longValue(),
                            java.sql.Types.BIGINT);
                    insert.setObject(4, spec.percent() == null ? null : spec.percent().longValue(), java.sql.Types.BIGINT);
                    insert.setString(5, id);
                    targeted = insert.executeUpdate();
                }
                int batchSize = WaveSpec.batchSize(spec, targeted);
                int batches = size(c, rollbackId, targeted, batchSize, spec.phase());
                WaveStore.event(c, rollbackId, actor, "create", null, WaveState.PLANNED, String.format(Locale.ROOT,
                        "rollback of wave %s: undoes the jobs that succeeded on %d machine(s) (UNDO_JOB, from each"
                                + " agent's undo log), in %d batch(es) of %d, then restarts them; updates and software it"
                                + " installed are not undone", id, targeted, batches, batchSize));
                WaveStore.event(c, id, actor, "rollback", original.state(), original.state(),
                        "rolled back by wave " + rollbackId);
                Audit.done(c, actor, AuditEvent.Action.WAVE_ROLLBACK, "wave/" + id, 201, String.format(Locale.ROOT,
                        "rollback wave %s of %s (%s): %d machine(s) in %d batch(es)", rollbackId, original.name(),
                        original.phase(), targeted, batches));
            }
            return null;
        });
        engine.kick();
        return view(rollbackId);
    }

    private WaveView view(String id) {
        return queries.wave(id).orElseThrow(() -> unknown(id));
    }

    private static void insertWave(Connection c, String id, WaveSpec spec, String rollbackOf, String actor)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO wave (id, name, phase, sites, selector_roles, selector_os_versions, batch_size, percent,
                    max_failure_rate, acknowledge_stale, state, rollback_of, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PLANNED', ?, ?)
                """)) {
            insert.setString(1, id);
            insert.setString(2, spec.name());
            insert.setString(3, spec.phase().name());
            insert.setArray(4, c.createArrayOf("text", spec.sites().toArray()));
            insert.setArray(5, c.createArrayOf("text", spec.roles().toArray()));
            insert.setArray(6, c.createArrayOf("text", spec.osVersions().toArray()));
            insert.setInt(7, spec.batchSize() == null ? 1 : spec.batchSize());
            insert.setObject(8, spec.percent(), java.sql.Types.INTEGER);
            insert.setDouble(9, spec.maxFailureRate());
            insert.setBoolean(10, spec.acknowledgeStale());
            insert.setString(11, rollbackOf);
            insert.setString(12, actor);
            insert.executeUpdate();
        }
    }

    /** Binds the parameters of {@link #TARGETS} from {@code index}; returns the next index. */
    private static int bindTargets(Connection c, PreparedStatement statement, int index, WaveSpec spec, Instant staleBefore)
            throws SQLException {
        int i = index;
        statement.setArray(i++, c.createArrayOf("text", spec.sites().toArray()));
        statement.setObject(i++, staleBefore.atOffset(ZoneOffset.UTC));
        statement.setString(i++, spec.phase().name());
        java.sql.Array roles = c.createArrayOf("text", spec.roles().toArray());
        statement.setArray(i++, roles);
        statement.setArray(i++, roles);
        java.sql.Array versions = c.createArrayOf("text", spec.osVersions().toArray());
        statement.setArray(i++, versions);
        statement.setArray(i++, versions);
        return i;
    }

    static ProblemException unknown(String id) {
        return ProblemException.notFound("no wave '" + id + "'");
    }

    static ProblemException illegal(Wave wave, String change, String why) {
        return new ProblemException(Problem.of(409, "illegal-transition", "Illegal state change",
                "wave " + wave.id() + " is " + wave.state() + " and cannot be " + change + ": " + why)
                .with("state", wave.state().name()));
    }
}
