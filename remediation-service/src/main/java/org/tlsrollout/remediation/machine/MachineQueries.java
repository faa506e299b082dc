package org.tlsrollout.remediation.machine;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.tlsrollout.contracts.MachineClass;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleStatus;
import org.tlsrollout.contracts.Severity;
import org.tlsrollout.remediation.Machine;
import org.tlsrollout.remediation.wave.WaveQueries;

/**
 * Reads the estate state: one machine, a filtered page of machines, the counts per site, phase and state, and the
 * findings per rule. Whether a machine is stale is decided in SQL, from {@code collected_at} and
 * {@link PhaseStates#staleBefore()}; whether a restart is pending, from {@code pending_restart_phase}.
 */
@ApplicationScoped
public class MachineQueries {

    /** Stale or not, next to the entity: the comparison is the database's, at the time of the query. */
    private static final String STALE = "case when m.collectedAt < :staleBefore then true else false end";

    /**
     * Counts by site, staleness and the four stored states: one pass over the table, and at most
     * sites x 2 x 4^4 groups, whatever the number of machines.
     */
    static final String COUNTS = "SELECT site_code, COALESCE(collected_at < ?1, false) AS stale, "
            + Arrays.stream(Phase.values()).map(Machine::stateColumn).collect(Collectors.joining(", "))
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

    private final EntityManager em;
    private final PhaseStates phaseStates;
    private final WaveQueries waves;

    public MachineQueries(EntityManager em, PhaseStates phaseStates, WaveQueries waves) {
        this.em = em;
        this.phaseStates = phaseStates;
        this.waves = waves;
    }

    public Optional<MachineView> machine(String machineId) {
        List<Object[]> rows = em.createQuery("select m, " + STALE + " from Machine m where m.machineId = :id",
                        Object[].class)
                .setParameter("id", machineId)
                .setParameter("staleBefore", phaseStates.staleBefore())
                .getResultList();
        return rows.stream().findFirst().map(row -> {
            Machine m = (Machine) row[0];
            boolean stale = (Boolean) row[1];
            return new MachineView(m.machineId, m.siteCode, m.machineClass, m.collectedAt, m.neverReported,
                    m.retiredAt != null, PhaseStates.shown(m, stale), m.findings == null ? List.of() : m.findings,
                    waves.jobsOf(m.machineId));
        });
    }

    /** Row of a list: the columns a summary needs, not the findings. */
    public record SummaryRow(String machineId, String siteCode, MachineClass machineClass, Instant collectedAt,
            PhaseState clientsState, PhaseState siteSystemsState, PhaseState verifyState,
            PhaseState disableLegacyState, Phase pendingRestartPhase, Boolean stale, Boolean neverReported,
            Instant retiredAt) {

        MachineSummary summary() {
            Map<Phase, PhaseState> phases = new EnumMap<>(Phase.class);
            phases.put(Phase.CLIENTS, PhaseStates.shown(clientsState, stale, pendingRestartPhase == Phase.CLIENTS));
            phases.put(Phase.SITE_SYSTEMS,
                    PhaseStates.shown(siteSystemsState, stale, pendingRestartPhase == Phase.SITE_SYSTEMS));
            phases.put(Phase.VERIFY, PhaseStates.shown(verifyState, stale, pendingRestartPhase == Phase.VERIFY));
            phases.put(Phase.DISABLE_LEGACY,
                    PhaseStates.shown(disableLegacyState, stale, pendingRestartPhase == Phase.DISABLE_LEGACY));
            return new MachineSummary(machineId, siteCode, machineClass, collectedAt, Boolean.TRUE.equals(neverReported),
                    retiredAt != null, phases);
        }
    }

    /** The HQL from-and-where of a filter, with its parameters. */
    private record Where(StringBuilder hql, Map<String, Object> parameters) {
    }

    private static Where where(MachineFilter filter, Instant staleBefore) {
        StringBuilder where = new StringBuilder(" from Machine m where 1 = 1");
        Map<String, Object> parameters = new HashMap<>();
        filter.siteCode().ifPresent(site -> {
            where.append(" and m.siteCode = :site");
            parameters.put("site", site);
        });
        if (filter.phase().isPresent() && filter.state().isPresent()) {
            PhaseStates.Filter state = PhaseStates.filter(filter.phase().get(), filter.state().get(), staleBefore);
            where.append(" and ").append(state.hql());
            parameters.putAll(state.parameters());
        }
        if (filter.rule().isPresent() || filter.status().isPresent()) {
            // findings @> [{"ruleId": rule, "status": status}]: the machine has such a finding.
            List<String> members = new ArrayList<>();
            filter.rule().ifPresent(rule -> {
                members.add("'ruleId', :rule");
                parameters.put("rule", rule.name());
            });
            filter.status().ifPresent(status -> {
                members.add("'status', :status");
                parameters.put("status", status.name());
            });
            where.append(" and function('jsonb_contains', m.findings, function('jsonb_build_array',"
                    + " function('jsonb_build_object', ").append(String.join(", ", members)).append("))) = true");
        }
        filter.neverReported().ifPresent(never -> {
            where.append(" and m.neverReported = :never");
            parameters.put("never", never);
        });
        filter.retired().ifPresent(retired -> where.append(retired ? " and m.retiredAt is not null"
                : " and m.retiredAt is null"));
        return new Where(where, parameters);
    }

    private static final String SUMMARY = "select new " + SummaryRow.class.getName()
            + "(m.machineId, m.siteCode, m.machineClass, m.collectedAt, m.clientsState, m.siteSystemsState,"
            + " m.verifyState, m.disableLegacyState, m.pendingRestartPhase, " + STALE + ", m.neverReported, m.retiredAt)";

    /** Page {@code page} (from 0) of {@code size} machines matching {@code filter}, in machine id order. */
    public MachinePage list(MachineFilter filter, int page, int size) {
        Instant staleBefore = phaseStates.staleBefore();
        Where where = where(filter, staleBefore);
        TypedQuery<Long> count = em.createQuery("select count(m)" + where.hql(), Long.class);
        where.parameters().forEach(count::setParameter);
        long total = count.getSingleResult();

        List<MachineSummary> items = new ArrayList<>();
        if (total > (long) page * size) {
            TypedQuery<SummaryRow> select = em.createQuery(SUMMARY + where.hql() + " order by m.machineId",
                    SummaryRow.class);
            where.parameters().forEach(select::setParameter);
            select.setParameter("staleBefore", staleBefore);
            select.setFirstResult(page * size).setMaxResults(size);
            select.getResultList().forEach(row -> items.add(row.summary()));
        }
        return new MachinePage(page, size, total, items);
    }

    /**
     * Up to {@code n} machines matching {@code filter} whose id is after {@code after} (null: from the first), in
     * machine id order: the CSV export reads the whole list this way, a part at a time, each part its own query.
     */
    @ActivateRequestContext
    public List<MachineSummary> after(MachineFilter filter, String after, int n) {
        Instant staleBefore = phaseStates.staleBefore();
        Where where = where(filter, staleBefore);
        if (after != null) {
            where.hql().append(" and m.machineId > :after");
            where.parameters().put("after", after);
        }
        TypedQuery<SummaryRow> select = em.createQuery(SUMMARY + where.hql() + " order by m.machineId",
                SummaryRow.class);
        where.parameters().forEach(select::setParameter);
        select.setParameter("staleBefore", staleBefore);
        select.setMaxResults(n);
        List<MachineSummary> items = new ArrayList<>(n);
        select.getResultList().forEach(row -> items.add(row.summary()));
        return items;
    }

    /** The counts of {@link Progress}, computed by the database in one GROUP BY. */
    @SuppressWarnings("unchecked")
    public Progress progress() {
        Instant generatedAt = Instant.now();
        List<Object[]> rows = em.createNativeQuery(COUNTS)
                .setParameter(1, phaseStates.staleBefore())
                .getResultList();
        Map<String, Map<Phase, Map<PhaseState, Long>>> bySite = new TreeMap<>();
        Map<String, Long> machinesBySite = new HashMap<>();
        Map<Phase, Map<PhaseState, Long>> totals = zeros();
        long machines = 0;
        Map<String, Long> neverBySite = new HashMap<>();
        long neverReported = 0;
        for (Object[] row : rows) {
            String site = (String) row[0];
            boolean stale = (Boolean) row[1];
            String pending = (String) row[6];
            boolean never = (Boolean) row[7];
            long n = ((Number) row[8]).longValue();
            Map<Phase, Map<PhaseState, Long>> siteCounts = bySite.computeIfAbsent(site, s -> zeros());
            for (Phase phase : Phase.values()) {
                PhaseState shown = PhaseStates.shown(PhaseState.valueOf((String) row[2 + phase.ordinal()]), stale,
                        phase.name().equals(pending));
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
        List<Progress.Site> sites = new ArrayList<>(bySite.size());
        bySite.forEach((site, counts) -> sites.add(new Progress.Site(site, counts, machinesBySite.get(site),
                neverBySite.getOrDefault(site, 0L))));
        return new Progress(sites, totals, machines, neverReported, generatedAt);
    }

    /**
     * Per site, the newest snapshot time ({@code collected_at}) of its machines not retired, in seconds since the
     * epoch; a site none of whose machines has reported is absent.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Double> lastSnapshotBySite() {
        List<Object[]> rows = em.createNativeQuery("SELECT site_code, extract(epoch FROM max(collected_at))::float8"
                + " FROM machine WHERE retired_at IS NULL AND collected_at IS NOT NULL GROUP BY site_code").getResultList();
        Map<String, Double> bySite = new TreeMap<>();
        for (Object[] row : rows) {
            bySite.put((String) row[0], ((Number) row[1]).doubleValue());
        }
        return bySite;
    }

    /**
     * The site codes of the estate, retired machines' included, read as a loose scan of machine_site_idx (one index
     * probe a site, not a scan of every machine).
     */
    @SuppressWarnings("unchecked")
    public List<String> siteCodes() {
        return em.createNativeQuery("""
                WITH RECURSIVE s(site_code) AS (
                    (SELECT site_code FROM machine ORDER BY site_code LIMIT 1)
                    UNION ALL
                    SELECT (SELECT m.site_code FROM machine m WHERE m.site_code > s.site_code ORDER BY m.site_code LIMIT 1)
                    FROM s WHERE s.site_code IS NOT NULL)
                SELECT site_code FROM s WHERE site_code IS NOT NULL
                """).getResultList();
    }

    /** Machines with a FAIL or UNKNOWN result of each rule, most machines first; of one site, or of all. */
    @SuppressWarnings("unchecked")
    public List<FindingCount> findings(Optional<String> siteCode) {
        var query = em.createNativeQuery(FINDINGS.formatted(siteCode.isPresent() ? "WHERE m.site_code = ?1" : ""));
        siteCode.ifPresent(site -> query.setParameter(1, site));
        List<Object[]> rows = query.getResultList();
        List<FindingCount> counts = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            try {
                counts.add(new FindingCount(RuleId.valueOf((String) row[0]), Phase.valueOf((String) row[1]),
                        Severity.valueOf((String) row[2]), RuleStatus.valueOf((String) row[3]),
                        ((Number) row[4]).longValue()));
            } catch (IllegalArgumentException | NullPointerException e) {
                // A finding of a rule this service does not know (a newer catalog): not counted.
            }
        }
        return counts;
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
