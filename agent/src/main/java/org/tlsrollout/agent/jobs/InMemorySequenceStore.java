package org.tlsrollout.agent.jobs;

/** A sequence kept in memory only (tests; the simulator keeps its own in each simulated machine). */
public final class InMemorySequenceStore implements SequenceStore {
    private long last;

    public InMemorySequenceStore() {
        this(0);
    }

    public InMemorySequenceStore(long last) {
        this.last = last;
    }

    @Override
    public synchronized long last() {
        return last;
    }

    @Override
    public synchronized boolean advance(long seq) {
        if (seq <= last) {
            return false;
        }
        last = seq;
        return true;
    }
}
