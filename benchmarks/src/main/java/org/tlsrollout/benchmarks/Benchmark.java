package org.tlsrollout.benchmarks;

import java.io.PrintStream;
import org.tlsrollout.cli.StackConfig;

/**
 * One benchmark of docs/benchmarks.md run by {@code ./tlsrollout bench <ID>}. It measures its figure and the
 * baseline in the same run and prints, as its last line, {@link Result#line()}.
 */
public interface Benchmark {
    /** The id of docs/benchmarks.md, e.g. {@code B1}. */
    String id();

    /** What it measures against what, one line for {@code --help}. */
    String description();

    /**
     * Runs it. {@code quick}: fewer records and shorter runs, for a first look within minutes.
     *
     * @return the figure and its ratio against the baseline of the same run
     */
    Result run(StackConfig config, boolean quick, PrintStream out) throws Exception;

    /** The last line of a benchmark: {@code <ID> <figure>=<value> ratio=<value>}. */
    record Result(String id, String figure, double value, double ratio) {
        public String line() {
            return String.format(java.util.Locale.ROOT, "%s %s=%s ratio=%.3f", id, figure, format(value), ratio);
        }

        private static String format(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                    : String.format(java.util.Locale.ROOT, "%.3f", v);
        }
    }
}
