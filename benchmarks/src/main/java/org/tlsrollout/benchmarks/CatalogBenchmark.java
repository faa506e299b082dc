package org.tlsrollout.benchmarks;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.Examples;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.rules.catalog.RuleCatalog;

/**
 * B2: the whole rule catalog on one snapshot ({@link #evaluate}) against the baseline of parsing that
 * snapshot's JSON into the record ({@link #parse}), which rules-service does for every record anyway.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CatalogBenchmark {

    @Param({Examples.WIN7_CLIENT_BEFORE, Examples.SERVER2012R2_PRIMARY_SITE})
    public String example;

    private String json;
    private MachineSnapshot snapshot;
    private final RuleCatalog catalog = new RuleCatalog();
    private final Instant now = Instant.parse("2026-11-22T00:00:00Z");

    @Setup
    public void setUp() throws Exception {
        json = Examples.json(example);
        snapshot = Json.MAPPER.readValue(json, MachineSnapshot.class);
    }

    @Benchmark
    public EvaluationEvent evaluate() {
        return catalog.evaluate(snapshot, now);
    }

    @Benchmark
    public MachineSnapshot parse() throws Exception {
        return Json.MAPPER.readValue(json, MachineSnapshot.class);
    }
}
