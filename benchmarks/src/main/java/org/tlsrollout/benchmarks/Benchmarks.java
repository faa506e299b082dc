package org.tlsrollout.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The stack benchmarks {@code ./tlsrollout bench} knows (B2, JMH, is {@link Bench#b2}). */
public final class Benchmarks {
    private Benchmarks() {
    }

    /** Every benchmark, one line each. */
    public static List<Benchmark> all() {
        return List.of(new RulesThroughput(), new WaveCreationBenchmark(), new AgentPollBenchmark(), new EstateRollout(),
                new InventoryImport(), new EvaluationIngest());
    }

    public static Optional<Benchmark> find(String id) {
        return all().stream().filter(b -> b.id().equalsIgnoreCase(id.toUpperCase(Locale.ROOT))).findFirst();
    }
}
