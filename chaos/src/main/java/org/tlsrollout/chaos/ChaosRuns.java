package org.tlsrollout.chaos;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The runs {@code ./tlsrollout chaos} knows. */
public final class ChaosRuns {
    private ChaosRuns() {
    }

    /** Every run, one line each. */
    public static List<ChaosRun> all() {
        return List.of(IngestChaos.r1(), IngestChaos.r2(), new WaveChaos(false), new WaveChaos(true), new ScaleOut(),
                new DashboardTotals());
    }

    public static Optional<ChaosRun> find(String id) {
        return all().stream().filter(r -> r.id().equalsIgnoreCase(id.toUpperCase(Locale.ROOT))).findFirst();
    }
}
