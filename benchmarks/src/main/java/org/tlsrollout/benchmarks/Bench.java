package org.tlsrollout.benchmarks;

import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.tlsrollout.cli.Main;
import org.tlsrollout.cli.StackException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./tlsrollout bench <ID> [--quick]}: runs one benchmark of docs/benchmarks.md, which ends with its line
 * {@code <ID> <figure>=<value> ratio=<value>}. B2 is JMH in this JVM's forks; the others start a stack of their own
 * through the cli module ({@link Benchmarks}).
 */
@Command(name = "tlsrollout bench", mixinStandardHelpOptions = true, description = "Run a benchmark of "
        + "docs/benchmarks.md; its last line is `<ID> <figure>=<value> ratio=<value>`.")
public final class Bench implements Callable<Integer> {
    @CommandLine.Parameters(index = "0", paramLabel = "ID", description = "the benchmark: B2 (JMH) or one of "
            + "the stack benchmarks (`tlsrollout bench list`)")
    String id;

    @Option(names = "--quick", description = "fewer and shorter iterations (a wider error), for a first look")
    boolean quick;

    public static void main(String[] args) {
        System.exit(Main.execute(new Bench(), args));
    }

    @Override
    public Integer call() throws Exception {
        if (id.equalsIgnoreCase("list")) {
            System.out.println("B2  the rule catalog on one snapshot against parsing it (JMH)");
            Benchmarks.all().forEach(b -> System.out.printf("%-3s %s%n", b.id(), b.description()));
            return 0;
        }
        if (id.equalsIgnoreCase("B2")) {
            b2(quick);
            return 0;
        }
        Benchmark benchmark = Benchmarks.find(id).orElseThrow(() -> new StackException(
                "no benchmark " + id + "; `tlsrollout bench list` shows them"));
        System.out.println(benchmark.run(Main.config(), quick, System.out).line());
        return 0;
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
