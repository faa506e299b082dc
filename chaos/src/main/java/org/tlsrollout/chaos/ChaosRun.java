package org.tlsrollout.chaos;

import java.io.PrintStream;
import org.tlsrollout.cli.StackConfig;

/**
 * One run of the reliability suite of docs/benchmarks.md ({@code ./tlsrollout chaos <ID>}). It ends with its
 * figures and tells whether anything was lost or duplicated.
 */
public interface ChaosRun {
    /** The id of docs/benchmarks.md, e.g. {@code R1}. */
    String id();

    /** What it breaks and what it checks, one line for {@code --help}. */
    String description();

    /**
     * Runs it; {@code quick} scales it down for a first look.
     *
     * @return true when nothing was lost or duplicated (the command then exits 0, else 1)
     */
    boolean run(StackConfig config, boolean quick, PrintStream out) throws Exception;
}
