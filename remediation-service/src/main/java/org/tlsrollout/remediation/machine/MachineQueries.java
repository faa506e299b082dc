package org.tlsrollout.remediation.machine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
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
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.MachineClass;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;
import org.tlsrollout.contracts.Severity;
import org.tlsrollout.remediation.wave.WaveQueries;

/**
 * Reads the estate state: one machine, a filtered page of machines, the counts per site, phase and state, and the
 * findings per rule. Whether a machine is stale is decided in SQL, from {@code collected_at} and
 * {@link PhaseStates#staleBefore()}; whether a restart is pending, from {@code pending_restart_phase}. JDBC on the
 * data source, like every other read and write of this service (docs/decisions.md).
 */
@ApplicationScoped
public class MachineQueries {

    /**
     * What a summary needs, in the order {@link #summary(ResultSet)} reads it: the stored states in phase order, then
     * whether the machine is stale (its one {@code ?}: the cut-off), decided by the database at the time of the query.
     */
    private static final String SUMMARY = "SELECT m.machine_id, m.site_code, m.machine_class, m.collected_at, "
            + Arrays.stream(Phase.values()).map(phase -> "m." + PhaseStates.stateColumn(phase))
                    .collect(Collectors.joining(", "))
            + ", m.pending_restart_phase, m.never_reported, m.retired_at,"
            + " CASE WHEN m.collected_at < ? THEN true ELSE false END";

    private static final TypeReference<List<RuleResult>> FINDINGS_JSON = new TypeReference<>() {
    };

    /**
     * Counts by site, staleness and the four stored states: one pass over the table, and at most
     * sites x 2 x 4^4 groups, whatever the number of machines.
     */
    static final String COUNTS = "SELECT site_code, COALESCE(collected_at < ?, false) AS stale, "
            + Arrays.stream(Phase.values()).map(PhaseStates::stateColumn).collect(Collectors.joining(", "))
            + ", pending_restart_phase, never_reported, count(*) FROM machine WHERE retired_at IS NULL"
            + " GROUP BY 1, 2, 3, 4, 5, 6, 7, 8";

    /**
     * Machines with a FAIL or UNKNOWN result of each rule, from the findings: one pass over the table (of one site,
     * when asked).
     */
    static final String FINDINGS = """
            SELECT f->>'ruleId', f->>'phase', f->>'severity', f->>'status', count(*)
            FROM machine m CROSS JOIN LATERAL jsonb_array_elements(m.findings) f
            %s
            GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC, 1, 2, 4""";

    private final AgroalDataSource dataSource;
    private final PhaseStates phaseStates;
    private final WaveQueries waves;

    public MachineQueries(AgroalDataSource dataSource, PhaseStates phaseStates, WaveQueries waves) {
        this.dataSource = dataSource;
        this.phaseStates = phaseStates;
        this.waves = waves;
    }

    public Optional<MachineView> machine(String machineId) {
        MachineSummary m;
        List<RuleResult> findings;
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(SUMMARY + ", m.findings FROM machine m"
                        + " WHERE m.machine_id = ?")) {
            bind(select, List.of(phaseStates.staleBefore(), machineId));
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                m = summary(rs);
                findings = Json.MAPPER.readValue(rs.getString(13), FINDINGS_JSON);
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot read machine " + machineId + ": " + e.getMessage(), e);
        }
        return Optional.of(new MachineView(m.machineId(), m.siteCode(), m.machineClass(), m.lastSnapshotAt(),
                m.neverReported(), m.retired(), m.phases(), findings, waves.jobsOf(m.machineId())));
    }

    /** The summary of the current row of a result set selected with {@link #SUMMARY}. */
    private static MachineSummary summary(ResultSet rs) throws SQLException {
        String pendingRestart = rs.getString(9);
        boolean stale = rs.getBoolean(12);
        Map<Phase, PhaseState> phases = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            phases.put(phase, PhaseStates.shown(PhaseState.valueOf(rs.getString(5 + phase.ordinal())), stale,
                    phase.name().equals(pendingRestart)));
        }
        String machineClass = rs.getString(3);
        return new MachineSummary(rs.getString(1), rs.getString(2),
                machineClass == null ? null : MachineClass.fromWireName(machineClass), instant(rs.getTimestamp(4)),
                rs.getBoolean(10), rs.getTimestamp(11) != null, phases);
    }

    /** The SQL from-and-where of a filter, and the values of its {@code ?} in order. */
    record Where(StringBuilder sql, List<Object> parameters) {
    }

    static Where where(MachineFilter filter, Instant staleBefore) {
        StringBuilder where = new StringBuilder(" FROM machine m WHERE true");
        List<Object> parameters = new ArrayList<>();
        filter.siteCode().ifPresent(site -> {
            where.append(" AND m.site_code = ?");
            parameters.add(site);
        });
        if (filter.phase().isPresent() && filter.state().isPresent()) {
            PhaseStates.Filter state = PhaseStates.filter(filter.phase().get(), filter.state().get(), staleBefore);
            where.append(" AND ").append(state.sql());
            parameters.addAll(state.parameters());
        }
        if (filter.rule().isPresent() || filter.status().isPresent()) {
            // findings @> [{"ruleId": rule, "status": status}]: the machine has such a finding.
            List<String> members = new ArrayList<>();
            filter.rule().ifPresent(rule -> {
                members.add("'ruleId', ?");
                parameters.add(rule.name());
            });
            filter.status().ifPresent(status -> {
                members.add("'status', ?");
                parameters.add(status.name());
            });
            where.append(" AND m.findings @> jsonb_build_array(jsonb_build_object(")
                    .append(String.join(", ", members)).append("))");
        }
        filter.neverReported().ifPresent(never -> {
            where.append(" AND m.never_reported = ?");
            parameters.add(never);
        });
        filter.retired().ifPresent(retired -> where.append(retired ? " AND m.retired_at IS NOT NULL"
                : " AND m.retired_at IS NULL"));
        return new Where(where, parameters);
    }

    /** Page {@code page} (from 0) of {@code size} machines matching {@code filter}, in machine id order. */
    public MachinePage list(MachineFilter filter, int page, int size) {
        Instant staleBefore = phaseStates.staleBefore();
        Where where = where(filter, staleBefore);
        try (Connection c = dataSource.getConnection()) {
            long total;
            try (PreparedStatement count = c.prepareStatement("SELECT count(*)" + where.sql())) {
                bind(count, where.parameters());
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<MachineSummary> items = new ArrayList<>();
            if (total > (long) page * size) {
                items = summaries(c, where, staleBefore, " ORDER BY m.machine_id LIMIT ? OFFSET ?", size,
                        (long) page * size);
            }
            return new MachinePage(page, size, total, items);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list the machines: " + e.getMessage(), e);
        }
    }

    /**
     * Up to {@code n} machines matching {@code filter} whose id is after {@code after} (null: from the first), in
     * machine id order: the CSV export reads the whole list this way, a part at a time, each part its own query.
     */
    public List<MachineSummary> after(MachineFilter filter, String after, int n) {
        Instant staleBefore = phaseStates.staleBefore();
        Where where = where(filter, staleBefore);
        if (after != null) {
            where.sql().append(" AND m.machine_id > ?");
            where.parameters().add(after);
        }
        try (Connection c = dataSource.getConnection()) {
            return summaries(c, where, staleBefore, " ORDER BY m.machine_id LIMIT ?", n);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list the machines: " + e.getMessage(), e);
        }
    }

    /** The summaries of the machines {@code where} selects, then {@code tail} (order and limits) with its values. */
    private static List<MachineSummary> summaries(Connection c, Where where, Instant staleBefore, String tail,
            Object... tailParameters) throws SQLException {
        List<Object> parameters = new ArrayList<>(where.parameters().size() + 1 + tailParameters.length);
        parameters.add(staleBefore);
        parameters.addAll(where.parameters());
        parameters.addAll(Arrays.asList(tailParameters));
        List<MachineSummary> items = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(SUMMARY + where.sql() + tail)) {
            bind(select, parameters);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    items.add(summary(rs));
                }
            }
        }
        return items;
    }

    /** The counts of {@link Progress}, computed by the database in one GROUP BY. */
    public Progress progress() {
        Instant generatedAt = Instant.now();
        Map<String, Map<Phase, Map<PhaseState, Long>>> bySite = new TreeMap<>();
        Map<String, Long> machinesBySite = new HashMap<>();
        Map<Phase, Map<PhaseState, Long>> totals = zeros();
        long machines = 0;
        Map<String, Long> neverBySite = new HashMap<>();
        long neverReported = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(COUNTS)) {
            bind(select, List.of(phaseStates.staleBefore()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String site = rs.getString(1);
                    boolean stale = rs.getBoolean(2);
                    String pending = rs.getString(7);
                    boolean never = rs.getBoolean(8);
                    long n = rs.getLong(9);
                    Map<Phase, Map<PhaseState, Long>> siteCounts = bySite.computeIfAbsent(site, s -> zeros());
                    for (Phase phase : Phase.values()) {
                        PhaseState shown = PhaseStates.shown(PhaseState.valueOf(rs.getString(3 + phase.ordinal())),
                                stale, phase.name().equals(pending));
                        siteCounts.get(phase).merge(shown, n, Long::sum);
                        totals.get(phase).merge(shown, n, Long::sum);
                    }
                    machinesBySite.merge(site, n, Long::sum);
                    if (never) {
                        neverBySite.merge(site, n, Long::sum);
                        neverReported += n;
                    }
                    machines += n;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the machines: " + e.getMessage(), e);
        }
        List<Progress.Site> sites = new ArrayList<>(bySite.size());
        bySite.forEach((site, counts) -> sites.add(new Progress.Site(site, counts, machinesBySite.get(site),
                neverBySite.getOrDefault(site, 0L))));
        return new Progress(sites, totals, machines, neverReported, generatedAt);
    }

    /**
     * Per site, the newest snapshot time ({@code collected_at}) of its machines not retired, in seconds since the
     * epoch; a site none of whose machines has reported is absent.
     */
    public Map<String, Double> lastSnapshotBySite() {
        Map<String, Double> bySite = new TreeMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT site_code,"
                        + " extract(epoch FROM max(collected_at))::float8 FROM machine"
                        + " WHERE retired_at IS NULL AND collected_at IS NOT NULL GROUP BY site_code");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                bySite.put(rs.getString(1), rs.getDouble(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the newest snapshots: " + e.getMessage(), e);
        }
        return bySite;
    }

    /**
     * The site codes of the estate, retired machines' included, read as a loose scan of machine_site_idx (one index
     * probe a site, not a scan of every machine).
     */
    public List<String> siteCodes() {
        List<String> sites = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("""
                        WITH RECURSIVE s(site_code) AS (
                            (SELECT site_code FROM machine ORDER BY site_code LIMIT 1)
                            UNION ALL
                            SELECT (SELECT m.site_code FROM machine m WHERE m.site_code > s.site_code ORDER BY m.site_code LIMIT 1)
                            FROM s WHERE s.site_code IS NOT NULL)
                        SELECT site_code FROM s WHERE site_code IS NOT NULL
                        """);
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                sites.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the site codes: " + e.getMessage(), e);
        }
        return sites;
    }

    /** Machines with a FAIL or UNKNOWN result of each rule, most machines first; of one site, or of all. */
    public List<FindingCount> findings(Optional<String> siteCode) {
        List<FindingCount> counts = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        FINDINGS.formatted(siteCode.isPresent() ? "WHERE m.site_code = ?" : ""))) {
            bind(select, siteCode.isPresent() ? List.of(siteCode.get()) : List.of());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    try {
                        counts.add(new FindingCount(RuleId.valueOf(rs.getString(1)), Phase.valueOf(rs.getString(2)),
                                Severity.valueOf(rs.getString(3)), RuleStatus.valueOf(rs.getString(4)),
                                rs.getLong(5)));
                    } catch (IllegalArgumentException | NullPointerException e) {
                        // A finding of a rule this service does not know (a newer catalog): not counted.
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the findings: " + e.getMessage(), e);
        }
        return counts;
    }

    /** Binds {@code values} to the statement's {@code ?} in order; an instant as a UTC timestamptz. */
    private static void bind(PreparedStatement statement, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            statement.setObject(i + 1, value instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : value);
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static Map<Phase, Map<PhaseState, Long>> zeros() {
        Map<Phase, Map<PhaseState, Long>> counts = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            Map<PhaseState, Long> states = new EnumMap<>(PhaseState.class);
            for (PhaseState state : PhaseState.values()) {
                states.put(state, 0L);
            }
            counts.put(phase, states);
        }
        return counts;
    }
}
