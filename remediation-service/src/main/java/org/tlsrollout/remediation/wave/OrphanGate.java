package org.tlsrollout.remediation.wave;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.tlsrollout.common.problem.Problem;
import org.tlsrollout.common.problem.ProblemException;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.remediation.machine.PhaseStates;

/**
 * The orphan gate of rules.md: a {@code DISABLE_LEGACY} wave for a site is refused unless every machine of that site
 * that is not STALE is COMPLIANT or NOT_APPLICABLE in CLIENTS, SITE_SYSTEMS and VERIFY (PENDING_RESTART is not ready:
 * the change is not in effect before the restart). Stale machines block too, unless the wave acknowledges them;
 * machines known from inventory that never reported always block; retired machines count nowhere.
 * The refusal counts the blocking machines by phase (a machine may block in several) and lists up to
 * {@value #MAX_IDS} of their ids.
 */
public final class OrphanGate {
    public static final int MAX_IDS = 100;
    /** The phases whose readiness the gate requires. */
    public static final List<Phase> GUARDED = List.of(Phase.CLIENTS, Phase.SITE_SYSTEMS, Phase.VERIFY);

    private static final String BLOCKING = """
            WITH m AS (
                SELECT machine_id, COALESCE(collected_at < ?, false) AS stale, never_reported, %s
                FROM machine WHERE site_code = ANY(?) AND retired_at IS NULL
            )
            SELECT * FROM m WHERE (stale AND NOT ?) OR (NOT stale AND (%s))
            """.formatted(
            String.join(", ", GUARDED.stream().map(p -> "NOT " + ready(p) + " AS " + p.name().toLowerCase()).toList()),
            String.join(" OR ", GUARDED.stream().map(p -> p.name().toLowerCase()).toList()));

    private OrphanGate() {
    }

    /** The SQL condition on a {@code machine} row: ready in {@code phase} (the state shown, stale aside). */
    private static String ready(Phase phase) {
        String state = PhaseStates.stateColumn(phase);
        return "(" + state + " = 'NOT_APPLICABLE' OR (" + state + " = 'COMPLIANT'"
                + " AND pending_restart_phase IS DISTINCT FROM '" + phase.name() + "'))";
    }

    /** How many machines block, by phase, and how many because they are stale (0 when acknowledged). */
    @Schema(description = "The machines that keep the orphan gate closed")
    public record Blocking(
            @Schema(description = "distinct machines that block") long total,
            @Schema(description = "machines not ready in each guarded phase (one machine may count in several)")
            Map<Phase, Long> byPhase,
            @Schema(description = "stale machines that block (0 when the wave acknowledges stale machines)") long stale,
            @Schema(description = "machines known from inventory that never reported: they always block, until"
                    + " retired") long neverReported) {
    }

    /**
     * Whether the gate is open for the sites.
     *
     * @param machines up to {@value #MAX_IDS} blocking machine ids, in id order
     */
    @Schema(description = "The orphan gate of rules.md for the wave's sites")
    public record Status(boolean open, Blocking blocking, List<String> machines) {

        /** The gate of a phase it does not guard: open, nothing blocks. */
        public static Status notGuarded() {
            return new Status(true, new Blocking(0, zeros(), 0, 0), List.of());
        }

        /** The 409 problem details of a refusal (rules.md), with the counts and ids as extension members. */
        public ProblemException refusal(List<String> sites) {
            String detail = blocking.total() + " machine(s) of site(s) " + String.join(", ", sites)
                    + " are not ready for DISABLE_LEGACY: every machine that is not STALE must be COMPLIANT or"
                    + " NOT_APPLICABLE in CLIENTS, SITE_SYSTEMS and VERIFY"
                    + (blocking.stale() > 0 ? ", and " + blocking.stale() + " stale machine(s) block unless the wave"
                            + " sets acknowledgeStale" : "")
                    + (blocking.neverReported() > 0 ? "; " + blocking.neverReported() + " machine(s) known from inventory"
                            + " never reported (retire them if they are gone)" : "");
            return new ProblemException(Problem.of(409, "orphan-gate", "Orphan gate closed", detail)
                    .with("blocking", blocking)
                    .with("machines", machines));
        }
    }

    /** The gate over every machine of {@code sites}, stale ones blocking unless {@code acknowledgeStale}. */
    public static Status check(Connection c, List<String> sites, boolean acknowledgeStale, Instant staleBefore)
            throws SQLException {
        long total;
        long stale;
        Map<Phase, Long> byPhase = zeros();
        String[] siteArray = sites.toArray(String[]::new);
        long never;
        String counts = "SELECT count(*), count(*) FILTER (WHERE stale), count(*) FILTER (WHERE never_reported)"
                + GUARDED.stream().map(p -> ", count(*) FILTER (WHERE NOT stale AND " + p.name().toLowerCase() + ")")
                        .reduce("", String::concat)
                + " FROM (" + BLOCKING + ") b";
        try (PreparedStatement select = c.prepareStatement(counts)) {
            bind(c, select, staleBefore, siteArray, acknowledgeStale);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
                stale = rs.getLong(2);
                never = rs.getLong(3);
                for (int i = 0; i < GUARDED.size(); i++) {
                    byPhase.put(GUARDED.get(i), rs.getLong(4 + i));
                }
            }
        }
        List<String> ids = new ArrayList<>();
        if (total > 0) {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT machine_id FROM (" + BLOCKING + ") b ORDER BY machine_id LIMIT " + MAX_IDS)) {
                bind(c, select, staleBefore, siteArray, acknowledgeStale);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
        }
        return new Status(total == 0, new Blocking(total, byPhase, stale, never), ids);
    }

    private static void bind(Connection c, PreparedStatement statement, Instant staleBefore, String[] sites,
            boolean acknowledgeStale) throws SQLException {
        statement.setObject(1, staleBefore.atOffset(ZoneOffset.UTC));
        statement.setArray(2, c.createArrayOf("text", sites));
        statement.setBoolean(3, acknowledgeStale);
    }

    private static Map<Phase, Long> zeros() {
        Map<Phase, Long> byPhase = new EnumMap<>(Phase.class);
        for (Phase phase : GUARDED) {
            byPhase.put(phase, 0L);
        }
        return byPhase;
    }
}
