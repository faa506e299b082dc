package org.tlsrollout.remediation.metrics;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.tlsrollout.contracts.JobEvent;
import org.tlsrollout.contracts.JobOutcome;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.remediation.WaveState;
import org.tlsrollout.remediation.machine.MachineQueries;
import org.tlsrollout.remediation.machine.Progress;
import org.tlsrollout.remediation.wave.WaveQueries;

/**
 * The one place remediation-service registers meters (api.md, "Prometheus metrics"). Never labelled by machine, job
 * or wave id.
 * <ul>
 * <li>{@code tlsrollout_machines{site, phase, state}}: how many machines show each state in each phase, per site
 * (PENDING_RESTART and STALE included), from the same GROUP BY as GET /api/v1/progress. Every state of every phase of
 * a known site has a series (0 included), so that panels do not lose lines when a count drops to 0.</li>
 * <li>{@code tlsrollout_machines_never_reported{site}}: machines known from inventory that never reported, per site
 * (every site with a machine has a series); retired machines count in neither gauge.</li>
 * <li>{@code tlsrollout_waves{state}}: waves per state, all six states, from the database.</li>
 * <li>{@code tlsrollout_jobs_total{site, phase, outcome}}: jobs issued (when issued), reported (at their first report,
 * by outcome) and {@code expired} (when the engine expires them); every phase and outcome of a site registered at 0
 * by every instance's refresh once the site has a machine (or at its first job on the instance, if that comes
 * first).</li>
 * <li>{@code tlsrollout_site_last_snapshot_timestamp_seconds{site}}: the newest snapshot time of the site's machines
 * (retired ones excluded), seconds since the epoch; an estate gauge (see below).</li>
 * <li>{@code tlsrollout_build_info{service, version}}: always 1.</li>
 * <li>{@code tlsrollout_dead_letters_total{topic}}: evaluation records sent to {@code tlsrollout.evaluations.v1.dlq}
 * (the Grafana dashboard sums it by topic with the other services').</li>
 * </ul>
 * The estate gauges (machines, never reported, waves, last snapshot) are recomputed every {@code remediation.metrics-refresh}, by one instance of the estate only (the holder
 * of a PostgreSQL advisory lock, {@link #GAUGE_LOCK}): summed over instances, they count each machine once. Created
 * at start, so that every series exists from the first scrape.
 */
@Startup
@ApplicationScoped
public class RolloutMetrics {
    public static final String MACHINES = "tlsrollout.machines";
    public static final String WAVES = "tlsrollout.waves";
    public static final String NEVER_REPORTED = "tlsrollout.machines.never.reported";
    public static final String JOBS = "tlsrollout.jobs";
    public static final String LAST_SNAPSHOT = "tlsrollout.site.last.snapshot.timestamp.seconds";
    public static final String DEAD_LETTERS = "tlsrollout.dead.letters";
    /** The {@code outcome} label of a job issued. */
    public static final String ISSUED = "issued";
    /** The {@code outcome} label of a job not reported before its {@code exp} (addition to api.md's outcomes). */
    public static final String EXPIRED = "expired";
    public static final String BUILD_INFO = "tlsrollout.build.info";
    private static final Logger LOG = Logger.getLogger(RolloutMetrics.class);

    private final MachineQueries queries;
    private final WaveQueries waveQueries;
    private final GaugeRows machines;
    private final GaugeRows waves;
    private final GaugeRows neverReported;
    private final GaugeRows lastSnapshot;
    private final MeterRegistry registry;
    /**
     * The job counters of each site, made at the refresh after its first machine or at its first job: {@link #OUTCOMES}
     * per phase, by
     * {@code phase.ordinal() * OUTCOMES.length + outcome index}. Looked up per job without allocating.
     */
    private final ConcurrentHashMap<String, Counter[]> jobCounters = new ConcurrentHashMap<>();
    private final Function<String, Counter[]> newSiteCounters = this::siteCounters;
    private final Counter deadLetters;

    /** The {@code outcome} labels of the job counter: issued, expired, then {@link JobOutcome}'s, by index. */
    static final String[] OUTCOMES;
    private static final int ISSUED_INDEX = 0;
    private static final int EXPIRED_INDEX = 1;
    private static final int REPORTED_INDEX = 2;
    private static final Phase[] PHASES = Phase.values();

    static {
        JobOutcome[] outcomes = JobOutcome.values();
        OUTCOMES = new String[REPORTED_INDEX + outcomes.length];
        OUTCOMES[ISSUED_INDEX] = ISSUED;
        OUTCOMES[EXPIRED_INDEX] = EXPIRED;
        for (JobOutcome outcome : outcomes) {
            OUTCOMES[REPORTED_INDEX + outcome.ordinal()] = outcome.name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The PostgreSQL advisory lock whose holder publishes the estate gauges: one instance per estate, so that a sum
     * over instances counts each machine and wave once. (Counters count each instance's own events: they add up.)
     */
    static final long GAUGE_LOCK = 0x746c73726f6c6c31L;

    private final AgroalDataSource dataSource;
    /** The session that holds {@link #GAUGE_LOCK} while this instance publishes the gauges, else null. */
    private Connection lockSession;

    public RolloutMetrics(MeterRegistry registry, MachineQueries queries, WaveQueries waveQueries,
            AgroalDataSource dataSource) {
        this.queries = queries;
        this.waveQueries = waveQueries;
        this.dataSource = dataSource;
        this.machines = new GaugeRows(registry, MACHINES,
                "Machines per site, phase and the state they show in it (PENDING_RESTART and STALE included)");
        this.neverReported = new GaugeRows(registry, NEVER_REPORTED,
                "Machines known from inventory that never sent a snapshot, per site (retired ones excluded)");
        this.waves = new GaugeRows(registry, WAVES, "Waves per state");
        this.lastSnapshot = new GaugeRows(registry, LAST_SNAPSHOT,
                "The newest snapshot time of the site's machines (retired ones excluded), seconds since the epoch");
        this.registry = registry;
        this.deadLetters = Counter.builder(DEAD_LETTERS)
                .description("Records sent to a dead-letter topic, by that topic")
                .tag("topic", Topics.dlq(Topics.EVALUATIONS))
                .register(registry);
        Gauge.builder(BUILD_INFO, () -> 1)
                .description("Always 1: the service and version that run")
                .tag("service", "remediation-service")
                .tag("version", ConfigProvider.getConfig().getOptionalValue("quarkus.application.version", String.class)
                        .orElse("unknown"))
                .register(registry);
        // Every state has a series from the start, at 0 until the first refresh reads the database.
        Map<Tags, Long> rows = new HashMap<>();
        for (WaveState state : WaveState.values()) {
            rows.put(Tags.of("state", state.name()), 0L);
        }
        waves.set(rows);
    }

    /** Every job counter of a site, registered together so that all its series start at 0. */
    private Counter[] siteCounters(String site) {
        Counter[] counters = new Counter[PHASES.length * OUTCOMES.length];
        for (Phase phase : PHASES) {
            for (int o = 0; o < OUTCOMES.length; o++) {
                counters[phase.ordinal() * OUTCOMES.length + o] = Counter.builder(JOBS)
                        .description("Fix jobs issued, and reported by outcome, per site and phase")
                        .tag("site", site)
                        .tag("phase", phase.name())
                        .tag("outcome", OUTCOMES[o])
                        .register(registry);
            }
        }
        return counters;
    }

    private Counter jobCounter(String site, Phase phase, int outcome) {
        Counter[] counters = jobCounters.get(site);
        if (counters == null) {
            counters = jobCounters.computeIfAbsent(site, newSiteCounters);
        }
        return counters[phase.ordinal() * OUTCOMES.length + outcome];
    }

    /** Counts jobs issued (committed), by their site and phase. */
    public void jobsIssued(List<JobEvent> issued) {
        for (int i = 0; i < issued.size(); i++) {
            JobEvent job = issued.get(i);
            jobCounter(job.siteCode(), job.phase(), ISSUED_INDEX).increment();
        }
    }

    /** Counts the first report of a job (committed); a second report of the same job counts nothing. */
    public void jobReported(String site, Phase phase, JobOutcome outcome) {
        jobCounter(site, phase, REPORTED_INDEX + outcome.ordinal()).increment();
    }

    /** Counts a job expired (committed): not reported before its {@code exp}. */
    public void jobExpired(String site, Phase phase) {
        if (site != null && phase != null) {
            jobCounter(site, phase, EXPIRED_INDEX).increment();
        }
    }

    /** Counts an evaluation record sent to the dead-letter topic. */
    public void evaluationDeadLettered() {
        deadLetters.increment();
    }

    @Scheduled(identity = "rollout-metrics", every = "${remediation.metrics-refresh}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRefresh() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warnf("tlsrollout_machines and tlsrollout_waves keep their previous values: the counts could not be"
                    + " read (%s)", e.toString());
        }
    }

    /**
     * True while this instance holds {@link #GAUGE_LOCK} (taken on a session of its own, kept open): the one that
     * publishes the estate gauges. Another instance takes it over when this one stops or its session breaks.
     */
    synchronized boolean publishesGauges() {
        try {
            if (lockSession != null && lockSession.isValid(5)) {
                return true;
            }
            release();
            Connection session = dataSource.getConnection();
            try (PreparedStatement lock = session.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                lock.setLong(1, GAUGE_LOCK);
                try (ResultSet rs = lock.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        lockSession = session;
                        LOG.info("this instance publishes the estate gauges (it holds their advisory lock)");
                        return true;
                    }
                }
            }
            session.close();
            return false;
        } catch (SQLException e) {
            LOG.warnf("the advisory lock of the estate gauges cannot be taken: %s", e.getMessage());
            release();
            return false;
        }
    }

    /** Unlocks (the session goes back to the pool: it must not keep the lock) and forgets the session. */
    @PreDestroy
    synchronized void release() {
        if (lockSession == null) {
            return;
        }
        try (PreparedStatement unlock = lockSession.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            unlock.setLong(1, GAUGE_LOCK);
            unlock.execute();
        } catch (SQLException e) {
            // A broken session: PostgreSQL released the lock with it.
        }
        try {
            lockSession.close();
        } catch (SQLException e) {
            // nothing more to do
        }
        lockSession = null;
    }

    /**
     * Registers the job counters of every site of the estate, then reads the counts and replaces the gauges' series
     * with them; on an instance that does not hold the gauges' lock, empties them (another instance publishes them).
     */
    public void refresh() {
        // Every instance, lock or not: a site's job counters exist at 0 before its first job, since a counter first
        // scraped at 1,000 counts nothing in increase() (Prometheus takes a new series' first sample as its start).
        for (String site : queries.siteCodes()) {
            jobCounters.computeIfAbsent(site, newSiteCounters);
        }
        if (!publishesGauges()) {
            machines.set(Map.of());
            neverReported.set(Map.of());
            waves.set(Map.of());
            lastSnapshot.set(Map.of());
            return;
        }
        Progress progress = queries.progress();
        Map<Tags, Long> rows = new HashMap<>();
        Map<Tags, Long> neverRows = new HashMap<>();
        for (Progress.Site site : progress.sites()) {
            for (Map.Entry<Phase, Map<PhaseState, Long>> phase : site.phases().entrySet()) {
                for (Map.Entry<PhaseState, Long> state : phase.getValue().entrySet()) {
                    rows.put(Tags.of("site", site.siteCode(), "phase", phase.getKey().name(),
                            "state", state.getKey().name()), state.getValue());
                }
            }
            neverRows.put(Tags.of("site", site.siteCode()), site.neverReported());
        }
        machines.set(rows);
        neverReported.set(neverRows);
        Map<Tags, Number> waveRows = new HashMap<>();
        waveQueries.countByState().forEach((state, n) -> waveRows.put(Tags.of("state", state.name()), n));
        waves.set(waveRows);
        Map<Tags, Number> snapshotRows = new HashMap<>();
        queries.lastSnapshotBySite().forEach((site, seconds) -> snapshotRows.put(Tags.of("site", site), seconds));
        lastSnapshot.set(snapshotRows);
    }
}
