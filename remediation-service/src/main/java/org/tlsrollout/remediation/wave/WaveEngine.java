package org.tlsrollout.remediation.wave;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;
import org.tlsrollout.contracts.JobEvent;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.remediation.Wave;
import org.tlsrollout.remediation.WaveState;
import org.tlsrollout.remediation.config.RemediationConfig;
import org.tlsrollout.remediation.metrics.RolloutMetrics;
import org.tlsrollout.remediation.outbox.Outbox;
import org.tlsrollout.remediation.Ids;
import org.tlsrollout.remediation.job.JobIssuer;
import org.tlsrollout.remediation.machine.PhaseStates;

/**
 * Advances the waves. Every {@code remediation.waves.tick}, and right after a wave is created or resumed
 * ({@link #kick()}), one pass ({@link #runOnce()}):
 * <ol>
 * <li>expires the ISSUED jobs past their {@code exp} (EXPIRED, event in the outbox);</li>
 * <li>for each PLANNED or RUNNING wave, step after step, each step one transaction that holds the wave's row
 * ({@code FOR UPDATE SKIP LOCKED}: an instance never advances a wave that another one is advancing, and an operator's
 * pause or cancel waits for the step to end and is seen by the next):
 * <ul>
 * <li>PLANNED: starts it (RUNNING);</li>
 * <li>issues the next chunk of its current batch ({@link JobIssuer}), for DISABLE_LEGACY after checking the orphan
 * gate again when the batch starts (machines may have joined the site since, or fallen back): closed, the wave turns
 * HALTED. Not for a rollback wave, which re-enables what the wave it rolls back disabled;</li>
 * <li>once every target of the batch has its job and no job of it is ISSUED any more (reported, expired or
 * cancelled): the failure rate, (failed + rejected) / reported over the whole wave so far, decides: above
 * {@code maxFailureRate} the wave turns HALTED and issues nothing more (unless an operator accepted this batch by
 * resuming the wave); else the next batch is released, or the wave is COMPLETED after the last.</li>
 * </ul></li>
 * </ol>
 */
@ApplicationScoped
public class WaveEngine {
    private static final Logger LOG = Logger.getLogger(WaveEngine.class);
    private static final int EXPIRE_CHUNK = 1000;

    private final AgroalDataSource dataSource;
    private final JobIssuer issuer;
    private final PhaseStates phaseStates;
    private final RolloutMetrics metrics;
    private final RemediationConfig.Waves config;
    private final ReentrantLock lock = new ReentrantLock();
    /** Per wave and batch, the last target of its last committed chunk ({@link #nextTargets}). */
    private final Map<String, String> issuedUpTo = new ConcurrentHashMap<>();
    private final AtomicBoolean kicked = new AtomicBoolean();
    private final ExecutorService kicks = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "wave-engine");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean stopping;
    private volatile boolean failing;

    public WaveEngine(AgroalDataSource dataSource, JobIssuer issuer, PhaseStates phaseStates, RolloutMetrics metrics,
            RemediationConfig config) {
        this.dataSource = dataSource;
        this.issuer = issuer;
        this.phaseStates = phaseStates;
        this.metrics = metrics;
        this.config = config.waves();
    }

    @Scheduled(identity = "wave-engine", every = "${remediation.waves.tick}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            runOnce();
            if (failing) {
                LOG.info("the wave engine's passes succeed again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warnf(e, "the wave engine's pass failed; every tick tries again");
                failing = true;
            }
        }
    }

    /** Runs a pass soon, on the engine's own thread, without waiting for it. */
    public void kick() {
        if (kicked.compareAndSet(false, true)) {
            kicks.execute(() -> {
                kicked.set(false);
                tick();
            });
        }
    }

    /**
     * One whole pass, now: returns once every active wave went as far as it can. A wave whose step fails does not keep
     * the others back; the first failure is thrown at the end of the pass.
     */
    public void runOnce() {
        lock.lock();
        try {
            expire();
            List<String> active = QuarkusTransaction.requiringNew().call(() -> {
                try (Connection c = dataSource.getConnection()) {
                    return WaveStore.active(c);
                }
            });
            RuntimeException failure = null;
            for (String id : active) {
                if (stopping) {
                    return;
                }
                try {
                    advance(id);
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = new IllegalStateException("wave " + id + " could not advance: " + e.getMessage(), e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Takes the wave as far as it can go now. */
    void advance(String waveId) {
        while (!stopping) {
            Step step = QuarkusTransaction.requiringNew().call(() -> step(waveId));
            if (step.lastTarget() != null) {
                issuedUpTo.put(step.cursor(), step.lastTarget()); // committed: every target up to it has its mark
            }
            if (!step.issued().isEmpty()) {
                metrics.jobsIssued(step.issued());
            }
            if (!step.again()) {
                return;
            }
        }
    }

    /** What a step did; {@code cursor} and {@code lastTarget}: the batch and its last target a chunk issued. */
    private record Step(boolean again, Phase phase, List<JobEvent> issued, String cursor, String lastTarget) {
        static final Step DONE = new Step(false, null, List.of(), null, null);
        static final Step AGAIN = new Step(true, null, List.of(), null, null);
    }

    /** The batch ({@code wave/batch}) of a wave's current chunks, as the key of {@link #issuedUpTo}. */
    private static String cursor(Wave w) {
        return w.id() + "/" + w.currentBatch();
    }

    /**
     * The next targets of the wave's current batch. A chunk marks every target it was given (ISSUED or SKIPPED) and
     * chunks go in machine id order, so once a chunk committed, no target of its batch up to its last one is PENDING
     * (targets never return to PENDING): the search starts after it instead of at the first entry of
     * {@code wave_target_pending_idx}, which still holds the entries of every target marked since the last vacuum
     * (at 1M targets, that scan grew with every chunk). The remembered position is only a shortcut: when nothing is
     * found after it (or after a restart, or on another instance), the whole batch is searched.
     */
    private List<String> nextTargets(Connection c, Wave w) throws SQLException {
        String after = issuedUpTo.get(cursor(w));
        if (after != null) {
            List<String> pending = WaveStore.pendingTargets(c, w.id(), w.currentBatch(), after, config.chunkSize());
            if (!pending.isEmpty()) {
                return pending;
            }
            issuedUpTo.remove(cursor(w));
        }
        return WaveStore.pendingTargets(c, w.id(), w.currentBatch(), null, config.chunkSize());
    }

    private Step step(String waveId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Wave w = WaveStore.lock(c, waveId, true).orElse(null);
            if (w == null || !WaveState.ACTIVE.contains(w.state())) {
                return Step.DONE;
            }
            if (w.state() == WaveState.PLANNED) {
                WaveStore.transition(c, w, WaveState.RUNNING, WaveStore.SYSTEM, "start",
                        w.batches() == 0 ? "no machine to target" : "batch 1 of " + w.batches());
                return Step.AGAIN;
            }
            if (w.allBatchesDone()) {
                WaveStore.transition(c, w, WaveState.COMPLETED, WaveStore.SYSTEM, "complete", completion(c, w));
                return Step.DONE;
            }
            List<String> pending = nextTargets(c, w);
            if (!pending.isEmpty()) {
                // A rollback wave restores what the wave before it disabled: the gate never holds it back.
                if (w.phase() == Phase.DISABLE_LEGACY && w.rollbackOf() == null
                        && !WaveStore.batchStarted(c, w.id(), w.currentBatch())) {
                    OrphanGate.Status gate = OrphanGate.check(c, w.sites(), w.acknowledgeStale(),
                            phaseStates.staleBefore());
                    if (!gate.open()) {
                        String reason = "orphan gate closed before batch " + w.currentBatch() + " of " + w.batches()
                                + ": " + gate.blocking().total() + " machine(s) not ready (" + gate.blocking().byPhase()
                                + ", stale " + gate.blocking().stale() + "), e.g. "
                                + String.join(", ", gate.machines().subList(0, Math.min(5, gate.machines().size())));
                        WaveStore.transition(c, w, WaveState.HALTED, WaveStore.SYSTEM, "halt", reason);
                        LOG.warnf("wave %s halted: %s", w.id(), reason);
                        return Step.DONE;
                    }
                }
                JobIssuer.Issued issued = issuer.issue(c, w, pending, Instant.now());
                return new Step(true, w.phase(), issued.events(), cursor(w), pending.get(pending.size() - 1));
            }
            if (WaveStore.batchHasOpenJobs(c, w.id(), w.currentBatch())) {
                return Step.DONE;
            }
            WaveStore.FailureRate rate = WaveStore.failureRate(c, w.id());
            if (rate.above(w.maxFailureRate()) && w.currentBatch() > w.acceptedBatch()) {
                String reason = String.format(Locale.ROOT, "failure rate %s is above maxFailureRate %s after batch %d"
                        + " of %d", rate, w.maxFailureRate(), w.currentBatch(), w.batches());
                WaveStore.transition(c, w, WaveState.HALTED, WaveStore.SYSTEM, "halt", reason);
                LOG.warnf("wave %s halted: %s", w.id(), reason);
                return Step.DONE;
            }
            int next = w.currentBatch() + 1;
            WaveStore.setCurrentBatch(c, w.id(), next);
            if (next > w.batches()) {
                WaveStore.transition(c, w, WaveState.COMPLETED, WaveStore.SYSTEM, "complete", completion(c, w));
                return Step.DONE;
            }
            WaveStore.event(c, w.id(), WaveStore.SYSTEM, "release-batch", WaveState.RUNNING, WaveState.RUNNING,
                    String.format(Locale.ROOT, "batch %d of %d released; failure rate %s within maxFailureRate %s",
                            next, w.batches(), rate, w.maxFailureRate()));
            return Step.AGAIN;
        }
    }

    private static String completion(Connection c, Wave w) throws SQLException {
        return w.batches() == 0 ? "no machine to target"
                : "all " + w.batches() + " batch(es) issued and reported or expired; failure rate "
                        + WaveStore.failureRate(c, w.id());
    }

    /** Turns the ISSUED jobs past their {@code exp} EXPIRED, a chunk per transaction. */
    void expire() {
        while (!stopping) {
            List<JobEvent> expired = QuarkusTransaction.requiringNew().call(() -> {
                try (Connection c = dataSource.getConnection()) {
                    return expireChunk(c);
                }
            });
            // Counted once committed.
            for (JobEvent e : expired) {
                metrics.jobExpired(e.siteCode(), e.phase());
            }
            if (expired.size() < EXPIRE_CHUNK) {
                return;
            }
        }
    }

    private static List<JobEvent> expireChunk(Connection c) throws SQLException {
        List<JobEvent> events = new ArrayList<>();
        Instant now = Instant.now();
        try (PreparedStatement update = c.prepareStatement("""
                UPDATE job SET state = 'EXPIRED', detail = 'not reported before it expired'
                WHERE id IN (SELECT id FROM job WHERE state = 'ISSUED' AND expires_at <= now()
                    ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING id, wave_id, machine_id, site_code, phase, seq, rules
                """)) {
            update.setInt(1, EXPIRE_CHUNK);
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    events.add(event(JobEvent.Kind.EXPIRED, rs, now, "not reported before it expired"));
                }
            }
        }
        Outbox.add(c, events);
        return events;
    }

    /** Whose ISSUED jobs {@link #cancelIssued} cancels. */
    public enum IssuedJobsOf {
        WAVE("wave_id"), MACHINE("machine_id");

        final String column;

        IssuedJobsOf(String column) {
            this.column = column;
        }
    }

    /** Cancels the ISSUED jobs of one wave or one machine; their CANCELLED events, for the outbox. */
    public static List<JobEvent> cancelIssued(Connection c, IssuedJobsOf of, String id, String reason) throws SQLException {
        List<JobEvent> events = new ArrayList<>();
        Instant now = Instant.now();
        try (PreparedStatement cancel = c.prepareStatement("UPDATE job SET state = 'CANCELLED', detail = ?"
                + " WHERE " + of.column + " = ? AND state = 'ISSUED'"
                + " RETURNING id, wave_id, machine_id, site_code, phase, seq, rules")) {
            cancel.setString(1, reason);
            cancel.setString(2, id);
            try (ResultSet rs = cancel.executeQuery()) {
                while (rs.next()) {
                    events.add(event(JobEvent.Kind.CANCELLED, rs, now, reason));
                }
            }
        }
        return events;
    }

    /**
     * The event of a job row read as {@code id, wave_id, machine_id, site_code, phase, seq, rules} (the first seven
     * columns of {@code rs}).
     */
    public static JobEvent event(JobEvent.Kind kind, ResultSet rs, Instant at, String detail) throws SQLException {
        List<RuleId> rules = new ArrayList<>();
        for (String rule : (String[]) rs.getArray(7).getArray()) {
            rules.add(RuleId.valueOf(rule));
        }
        return new JobEvent(Ids.timeOrdered(), kind, rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getString(4), Phase.valueOf(rs.getString(5)), rs.getLong(6), rules, at, detail);
    }

    void onStop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        stopping = true;
    }

    @PreDestroy
    void stop() {
        kicks.shutdownNow();
    }
}
