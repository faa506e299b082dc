package org.tlsrollout.cli.bench;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The benchmarks {@code ./tlsrollout bench} runs in the CLI's JVM (B2 is JMH, in module benchmarks). */
public final class Benchmarks {
    private Benchmarks() {
    }

    /** Every benchmark, one line each. */
    public static List<Benchmark> all() {
        return List.of(new RulesThroughput(), new WaveCreationBenchmark(), new AgentPollBenchmark(), new EstateRollout());
    }

    public static Optional<Benchmark> find(String id) {
        return all().stream().filter(b -> b.id().equalsIgnoreCase(id.toUpperCase(Locale.ROOT))).findFirst();
    }
}
