package org.tlsrollout.remediation.service;

import jakarta.enterprise.context.ApplicationScoped;
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
import org.tlsrollout.remediation.Machine;

/**
 * Reads the estate state: one machine, a filtered page of machines, and the counts per site, phase and state.
 * Whether a machine is stale is decided in SQL, from {@code collected_at} and {@link PhaseStates#staleBefore()}.
 */
@ApplicationScoped
public class MachineQueries {

    /** Stale or not, next to the entity: the comparison is the database's, at the time of the query. */
    private static final String STALE = "case when m.collectedAt < :staleBefore then true else false end";

    /**
     * Counts by site, staleness and the four stored states: one pass over the table, and at most
     * sites x 2 x 4^4 groups, whatever the number of machines.
     */
    static final String COUNTS = "SELECT site_code, collected_at < ?1 AS stale, "
            + Arrays.stream(Phase.values()).map(Machine::stateColumn).collect(Collectors.joining(", "))
            + ", count(*) FROM machine GROUP BY 1, 2, 3, 4, 5, 6";

    private final EntityManager em;
    private final PhaseStates phaseStates;

    public MachineQueries(EntityManager em, PhaseStates phaseStates) {
        this.em = em;
        this.phaseStates = phaseStates;
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
            return new MachineView(m.machineId, m.siteCode, m.machineClass, m.collectedAt,
                    PhaseStates.shown(m, stale), m.findings == null ? List.of() : m.findings, List.of());
        });
    }

    /** Row of a list: the columns a summary needs, not the findings. */
    public record SummaryRow(String machineId, String siteCode, MachineClass machineClass, Instant collectedAt,
            PhaseState clientsState, PhaseState siteSystemsState, PhaseState verifyState,
            PhaseState disableLegacyState, Boolean stale) {

        MachineSummary summary() {
            Map<Phase, PhaseState> phases = new EnumMap<>(Phase.class);
            phases.put(Phase.CLIENTS, PhaseStates.shown(clientsState, stale));
            phases.put(Phase.SITE_SYSTEMS, PhaseStates.shown(siteSystemsState, stale));
            phases.put(Phase.VERIFY, PhaseStates.shown(verifyState, stale));
            phases.put(Phase.DISABLE_LEGACY, PhaseStates.shown(disableLegacyState, stale));
            return new MachineSummary(machineId, siteCode, machineClass, collectedAt, phases);
        }
    }

    /** Page {@code page} (from 0) of {@code size} machines matching {@code filter}, in machine id order. */
    public MachinePage list(MachineFilter filter, int page, int size) {
        Instant staleBefore = phaseStates.staleBefore();
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
        TypedQuery<Long> count = em.createQuery("select count(m)" + where, Long.class);
        parameters.forEach(count::setParameter);
        long total = count.getSingleResult();

        List<MachineSummary> items = new ArrayList<>();
        if (total > (long) page * size) {
            TypedQuery<SummaryRow> select = em.createQuery("select new " + SummaryRow.class.getName()
                    + "(m.machineId, m.siteCode, m.machineClass, m.collectedAt, m.clientsState, m.siteSystemsState,"
                    + " m.verifyState, m.disableLegacyState, " + STALE + ")" + where + " order by m.machineId",
                    SummaryRow.class);
            parameters.forEach(select::setParameter);
            select.setParameter("staleBefore", staleBefore);
            select.setFirstResult(page * size).setMaxResults(size);
            select.getResultList().forEach(row -> items.add(row.summary()));
        }
        return new MachinePage(page, size, total, items);
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
        for (Object[] row : rows) {
            String site = (String) row[0];
            boolean stale = (Boolean) row[1];
            long n = ((Number) row[6]).longValue();
            Map<Phase, Map<PhaseState, Long>> siteCounts = bySite.computeIfAbsent(site, s -> zeros());
            for (Phase phase : Phase.values()) {
                PhaseState shown = PhaseStates.shown(PhaseState.valueOf((String) row[2 + phase.ordinal()]), stale);
                siteCounts.get(phase).merge(shown, n, Long::sum);
                totals.get(phase).merge(shown, n, Long::sum);
            }
            machinesBySite.merge(site, n, Long::sum);
            machines += n;
        }
        List<Progress.Site> sites = new ArrayList<>(bySite.size());
        bySite.forEach((site, counts) -> sites.add(new Progress.Site(site, counts, machinesBySite.get(site))));
        return new Progress(sites, totals, machines, generatedAt);
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
