package org.tlsrollout.agent.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tlsrollout.contracts.PreviousValue;

/**
 * What the undo log holds for one job: the values it wrote, each with its state before (value null: absent), in
 * the order written, and the job that undid it (null while not undone).
 */
public record UndoRecord(String jobId, List<PreviousValue> previous, String undoneBy) {

    public UndoRecord {
        previous = List.copyOf(previous);
    }

    /** This record with {@code before} added, unless the job already recorded that value (case-insensitive). */
    public UndoRecord with(PreviousValue before) {
        for (PreviousValue p : previous) {
            if (same(p, before)) {
                return this;
            }
        }
        List<PreviousValue> more = new ArrayList<>(previous);
        more.add(before);
        return new UndoRecord(jobId, more, undoneBy);
    }

    public UndoRecord undoneBy(String byJobId) {
        return new UndoRecord(jobId, previous, byJobId);
    }

    private static boolean same(PreviousValue a, PreviousValue b) {
        return a.key().toLowerCase(Locale.ROOT).equals(b.key().toLowerCase(Locale.ROOT))
                && a.name().toLowerCase(Locale.ROOT).equals(b.name().toLowerCase(Locale.ROOT));
    }
}
