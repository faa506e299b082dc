package org.tlsrollout.agent.jobs;

/**
 * The last sequence number an agent took: the {@code seq} of the last job it applied (so that a job is never
 * applied twice, nor an older one after a newer), and, with a second store, its snapshot counter.
 */
public interface SequenceStore {

    /** The last number taken; 0 when none was. */
    long last();

    /**
     * Takes {@code seq} if it is strictly greater than {@link #last()}, and keeps it (on disk for the file
     * store) before answering true; false, and nothing changed, otherwise.
     *
     * @throws IllegalStateException when it cannot be kept
     */
    boolean advance(long seq);
}
