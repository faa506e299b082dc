package org.tlsrollout.remediation.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleStatus;

/** The SQL a list filter becomes: values only as bound parameters, one for each {@code ?}. */
class MachineQueriesTest {
    private static final Instant STALE_BEFORE = Instant.parse("2026-11-23T00:00:00Z");

    @Test
    void everyFilterBindsAValueForEachPlaceholderAndWritesNoneIntoTheSql() {
        String site = "X1'; DROP TABLE machine; --";
        for (Phase phase : Phase.values()) {
            for (PhaseState state : PhaseState.values()) {
                for (boolean others : List.of(false, true)) {
                    MachineFilter filter = new MachineFilter(Optional.of(site), Optional.of(phase), Optional.of(state),
                            others ? Optional.of(RuleId.SCHANNEL_TLS12_CLIENT) : Optional.empty(),
                            others ? Optional.of(RuleStatus.FAIL) : Optional.empty(),
                            others ? Optional.of(true) : Optional.empty(), others ? Optional.of(false) : Optional.empty());
                    MachineQueries.Where where = MachineQueries.where(filter, STALE_BEFORE);
                    String sql = where.sql().toString();
                    assertThat(sql.chars().filter(c -> c == '?').count())
                            .as("%s %s %s", phase, state, sql).isEqualTo(where.parameters().size());
                    assertThat(sql).doesNotContain(site).doesNotContain("SCHANNEL_TLS12_CLIENT")
                            .doesNotContain(state.name());
                    assertThat(where.parameters()).startsWith(site);
                }
            }
        }
    }

    @Test
    void aStaleFilterIsAnAppliedPhaseCollectedBeforeTheCutOff() {
        MachineFilter filter = new MachineFilter(Optional.of("S01"), Optional.of(Phase.VERIFY),
                Optional.of(PhaseState.STALE), Optional.empty(), Optional.of(RuleStatus.UNKNOWN), Optional.empty(),
                Optional.of(false));
        MachineQueries.Where where = MachineQueries.where(filter, STALE_BEFORE);
        assertThat(where.sql().toString()).isEqualTo(" FROM machine m WHERE true AND m.site_code = ?"
                + " AND m.verify_state <> ? AND m.collected_at < ?"
                + " AND m.findings @> jsonb_build_array(jsonb_build_object('status', ?)) AND m.retired_at IS NULL");
        assertThat(where.parameters()).containsExactly("S01", "NOT_APPLICABLE", STALE_BEFORE, "UNKNOWN");
    }

    @Test
    void aStoredStateExcludesStaleMachinesAndARestartPendingInItsPhase() {
        PhaseStates.Filter filter = PhaseStates.filter(Phase.CLIENTS, PhaseState.COMPLIANT, STALE_BEFORE);
        assertThat(filter.sql()).isEqualTo("m.clients_state = ? AND (m.collected_at IS NULL OR m.collected_at >= ?)"
                + " AND (m.pending_restart_phase IS NULL OR m.pending_restart_phase <> ?)");
        assertThat(filter.parameters()).containsExactly("COMPLIANT", STALE_BEFORE, "CLIENTS");
    }
}
