package org.tlsrollout.remediation.wave;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.util.List;
import org.tlsrollout.contracts.AuditEvent;
import org.tlsrollout.contracts.JobEvent;
import org.tlsrollout.remediation.Wave;
import org.tlsrollout.remediation.WaveState;
import org.tlsrollout.remediation.audit.Audit;
import org.tlsrollout.remediation.outbox.Outbox;

/**
 * An operator's changes of a wave's state (api.md: pause, resume, cancel), each in a transaction of its own with the
 * wave locked, recorded in its history and in the audit trail.
 */
@ApplicationScoped
public class WaveTransitions {
    private final AgroalDataSource dataSource;
    private final WaveQueries queries;
    private final WaveEngine engine;

    public WaveTransitions(AgroalDataSource dataSource, WaveQueries queries, WaveEngine engine) {
        this.dataSource = dataSource;
        this.queries = queries;
        this.engine = engine;
    }

    /** RUNNING (or PLANNED) to PAUSED: no new job; the jobs issued stay pollable. */
    public WaveView pause(String id, String actor) {
        QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                Wave wave = WaveStore.lock(c, id, false).orElseThrow(() -> WaveService.unknown(id));
                if (!wave.state().canPause()) {
                    throw WaveService.illegal(wave, "paused", "only a PLANNED or RUNNING wave can be");
                }
                WaveStore.transition(c, wave, WaveState.PAUSED, actor, "pause", "paused by " + actor);
                Audit.done(c, actor, AuditEvent.Action.WAVE_PAUSE, "wave/" + id, 200, describe(wave) + " paused");
            }
            return null;
        });
        return queries.wave(id).orElseThrow(() -> WaveService.unknown(id));
    }

    /**
     * PAUSED or HALTED to RUNNING. Resuming a wave HALTED at the end of a batch accepts that batch's failure rate: the
     * next batch is released (the rate is checked again at the end of the next one).
     */
    public WaveView resume(String id, String actor) {
        QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                Wave wave = WaveStore.lock(c, id, false).orElseThrow(() -> WaveService.unknown(id));
                if (!wave.state().canResume()) {
                    throw WaveService.illegal(wave, "resumed", "only a PAUSED or HALTED wave can be");
                }
                String detail = "resumed by " + actor;
                if (wave.state() == WaveState.HALTED && !wave.allBatchesDone()
                        && WaveStore.batchDone(c, wave.id(), wave.currentBatch())) {
                    WaveStore.setAcceptedBatch(c, wave.id(), wave.currentBatch());
                    detail += "; the failure rate of batch " + wave.currentBatch() + " is accepted";
                }
                WaveStore.transition(c, wave, WaveState.RUNNING, actor, "resume", detail);
                Audit.done(c, actor, AuditEvent.Action.WAVE_RESUME, "wave/" + id, 200, describe(wave) + " " + detail);
            }
            return null;
        });
        engine.kick();
        return queries.wave(id).orElseThrow(() -> WaveService.unknown(id));
    }

    /** To CANCELLED for good: its unreported jobs are cancelled (and no longer served). */
    public WaveView cancel(String id, String actor) {
        QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                Wave wave = WaveStore.lock(c, id, false).orElseThrow(() -> WaveService.unknown(id));
                if (!wave.state().canCancel()) {
                    throw WaveService.illegal(wave, "cancelled", "it has ended already");
                }
                String reason = "wave cancelled by " + actor;
                List<JobEvent> events = WaveEngine.cancelIssued(c, WaveEngine.IssuedJobsOf.WAVE, id, reason);
                Outbox.add(c, events);
                WaveStore.transition(c, wave, WaveState.CANCELLED, actor, "cancel",
                        reason + "; " + events.size() + " unreported job(s) cancelled");
                Audit.done(c, actor, AuditEvent.Action.WAVE_CANCEL, "wave/" + id, 200, describe(wave) + " cancelled; "
                        + events.size() + " unreported job(s) cancelled");
            }
            return null;
        });
        return queries.wave(id).orElseThrow(() -> WaveService.unknown(id));
    }

    /** A wave as an audit event's detail names it: name, phase, and the state it left. */
    private static String describe(Wave wave) {
        return wave.name() + " (" + wave.phase() + ", was " + wave.state() + ")";
    }
}
