package org.tlsrollout.remediation.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.remediation.service.MachineQueries;
import org.tlsrollout.remediation.service.Progress;

/**
 * The one place remediation-service registers meters (api.md, "Prometheus metrics"):
 * {@code tlsrollout_machines{site, phase, state}}, how many machines show each state in each phase, per site, from
 * the same GROUP BY as GET /api/v1/progress, recomputed every {@code remediation.metrics-refresh}. Every state of
 * every phase of a known site has a series (0 included), so that panels do not lose lines when a count drops to 0.
 * Never labelled by machine.
 */
@ApplicationScoped
public class RolloutMetrics {
    public static final String MACHINES = "tlsrollout.machines";
    private static final Logger LOG = Logger.getLogger(RolloutMetrics.class);

    private final MachineQueries queries;
    private final MultiGauge machines;

    public RolloutMetrics(MeterRegistry registry, MachineQueries queries) {
        this.queries = queries;
        this.machines = MultiGauge.builder(MACHINES)
                .description("Machines per site, phase and the state they show in it (STALE included)")
                .register(registry);
    }

    @Scheduled(identity = "rollout-metrics", every = "${remediation.metrics-refresh}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRefresh() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warnf("tlsrollout_machines keeps its previous values: the counts could not be read (%s)", e.toString());
        }
    }

    /** Reads the counts and replaces the gauge's series with them. */
    @ActivateRequestContext
    public void refresh() {
        Progress progress = queries.progress();
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (Progress.Site site : progress.sites()) {
            for (Map.Entry<Phase, Map<PhaseState, Long>> phase : site.phases().entrySet()) {
                for (Map.Entry<PhaseState, Long> state : phase.getValue().entrySet()) {
                    rows.add(MultiGauge.Row.of(Tags.of("site", site.siteCode(), "phase", phase.getKey().name(),
                            "state", state.getKey().name()), state.getValue()));
                }
            }
        }
        machines.register(rows, true);
    }
}
