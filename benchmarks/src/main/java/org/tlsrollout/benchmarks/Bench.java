package org.tlsrollout.benchmarks;

import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs one benchmark of docs/benchmarks.md and ends with its line {@code <ID> <figure>=<value> ratio=<value>}.
 * {@code ./tlsrollout bench B2 [--quick]} calls this.
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws RunnerException {
        if (args.length == 0) {
            System.err.println("usage: Bench <B2> [--quick]");
            System.exit(2);
        }
        boolean quick = java.util.Arrays.asList(args).contains("--quick");
        switch (args[0].toUpperCase(Locale.ROOT)) {
            case "B2" -> b2(quick);
            default -> {
                System.err.println("unknown benchmark " + args[0] + "; this runner knows B2");
                System.exit(2);
            }
        }
    }

    /** B2: p99 of the catalog on one snapshot, and its ratio to parsing that snapshot (lower is cheaper). */
    static void b2(boolean quick) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(CatalogBenchmark.class.getName())
                .forks(1)
                .warmupIterations(quick ? 2 : 5).warmupTime(TimeValue.seconds(quick ? 1 : 3))
                .measurementIterations(quick ? 3 : 5).measurementTime(TimeValue.seconds(quick ? 2 : 5));
        Collection<RunResult> results = new Runner(options.build()).run();
        double worstEvaluateP99 = 0;
        double evaluateMean = 0;
        double parseMean = 0;
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark().substring(r.getParams().getBenchmark().lastIndexOf('.') + 1);
            var stats = r.getPrimaryResult().getStatistics();
            System.out.printf(Locale.ROOT, "B2 %-9s %-32s mean=%.2f us p99=%.2f us%n", method,
                    r.getParams().getParam("example"), stats.getMean(), stats.getPercentile(99));
            if (method.equals("evaluate")) {
                worstEvaluateP99 = Math.max(worstEvaluateP99, stats.getPercentile(99));
                evaluateMean += stats.getMean();
            } else {
                parseMean += stats.getMean();
            }
        }
        System.out.printf(Locale.ROOT, "B2 evaluate_p99_us=%.2f ratio=%.3f%n", worstEvaluateP99, evaluateMean / parseMean);
    }
}
