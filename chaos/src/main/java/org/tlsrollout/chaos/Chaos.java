package org.tlsrollout.chaos;

import java.util.concurrent.Callable;
import org.tlsrollout.cli.Main;
import org.tlsrollout.cli.StackException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./tlsrollout chaos <ID> [--quick]}: one run of the reliability suite of docs/benchmarks.md. */
@Command(name = "tlsrollout chaos", mixinStandardHelpOptions = true, description = "Run one of the reliability suite"
        + " of docs/benchmarks.md; it ends with its figures. Exit code 0 when nothing was lost or duplicated (R10: when"
        + " the dashboard's totals are the same with two instances as with one), 1 otherwise.")
public final class Chaos implements Callable<Integer> {
    @CommandLine.Parameters(index = "0", paramLabel = "ID", description = "the run (`tlsrollout chaos list`)")
    String id;

    @Option(names = "--quick", description = "a smaller run, for a first look")
    boolean quick;

    public static void main(String[] args) {
        System.exit(Main.execute(new Chaos(), args));
    }

    @Override
    public Integer call() throws Exception {
        if (id.equalsIgnoreCase("list")) {
            ChaosRuns.all().forEach(r -> System.out.printf("%-3s %s%n", r.id(), r.description()));
            return 0;
        }
        ChaosRun run = ChaosRuns.find(id).orElseThrow(() -> new StackException(
                "no reliability run " + id + "; `tlsrollout chaos list` shows them"));
        return run.run(Main.config(), quick, System.out) ? 0 : 1;
    }
}
