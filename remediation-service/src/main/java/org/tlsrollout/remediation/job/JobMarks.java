package org.tlsrollout.remediation.job;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The machines that may have a job to poll, so that the poll of a machine without one reads nothing from PostgreSQL
 * (docs/decisions.md, "Job marks"). A machine is marked when a job of it is issued: by the instance that issues it,
 * before the job commits ({@link JobIssuer}), and on every instance by the job's ISSUED event on
 * {@code tlsrollout.job-events.v1} ({@link JobEventsFeed}). The poll of a marked machine reads its jobs, and clears
 * the mark when it finds none, unless the machine was marked again meanwhile. Until the feed is positioned on the
 * topic and has loaded the ISSUED jobs, and whenever it fails, {@link #lookup} answers {@link #UNKNOWN}: every poll
 * reads PostgreSQL, as without marks.
 */
@ApplicationScoped
public class JobMarks {
    /** {@link #lookup}: the marks are not ready; read the jobs. */
    public static final long UNKNOWN = -1;
    /** {@link #lookup}: the machine has no job. */
    public static final long NONE = 0;

    private final ConcurrentHashMap<String, Long> marks = new ConcurrentHashMap<>();
    private final AtomicLong stamps = new AtomicLong();
    private volatile boolean ready;

    /**
     * @return {@link #NONE} when the machine has no job, {@link #UNKNOWN} when the marks are not ready, else the stamp
     *         of its mark, to pass to {@link #cleared} if its jobs turn out to be none
     */
    public long lookup(String machineId) {
        if (!ready) {
            return UNKNOWN;
        }
        Long stamp = marks.get(machineId);
        return stamp == null ? NONE : stamp;
    }

    /** A job of the machine was (or is about to be) issued. */
    public void mark(String machineId) {
        marks.put(machineId, stamps.incrementAndGet());
    }

    /**
     * A read that began after {@link #lookup} gave {@code stamp} found no job of the machine: its mark goes, unless
     * the machine was marked again since (a job issued meanwhile).
     */
    public void cleared(String machineId, long stamp) {
        if (stamp > NONE) {
            marks.remove(machineId, stamp);
        }
    }

    /** Whether {@link #lookup} answers from the marks (the feed is positioned and the ISSUED jobs loaded). */
    public boolean ready() {
        return ready;
    }

    void ready(boolean ready) {
        this.ready = ready;
    }

    /** Machines marked now. */
    public int size() {
        return marks.size();
    }
}
