package org.tlsrollout.chaos;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tlsrollout.cli.Component;
import org.tlsrollout.cli.StackConfig;

/**
 * R1 and R2: snapshots flow from enrolled agents while one component is killed -9 and restarted again and again;
 * at the end every snapshot answered 202 must have its evaluation stored in remediation-service.
 */
final class IngestChaos implements ChaosRun {
    private final String id;
    private final Component victim;
    private final int kills;
    private final int machines;
    private final int quickMachines;
    /** Seconds of sending per kill, at most: the senders are paced so that the kills fall while snapshots flow. */
    private final int secondsPerKill;
    /** How long the victim stays down after each kill; alternating values, e.g. short and past a timeout. */
    private final long[] downMillis;

    IngestChaos(String id, Component victim, int kills, int machines, int quickMachines, int secondsPerKill,
            long... downMillis) {
        this.id = id;
        this.victim = victim;
        this.kills = kills;
        this.machines = machines;
        this.quickMachines = quickMachines;
        this.secondsPerKill = secondsPerKill;
        this.downMillis = downMillis;
    }

    static IngestChaos r1() {
        // Down 2 s (the collector holds the 202 until Kafka is back) or 40 s (past its 30 s publish-timeout: 503s).
        return new IngestChaos("R1", Component.KAFKA, 5, 100_000, 10_000, 12, 2000, 40_000);
    }

    static IngestChaos r2() {
        return new IngestChaos("R2", Component.RULES, 10, 100_000, 10_000, 10, 0);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return String.format(Locale.ROOT, "%d snapshots (--quick: %d) from enrolled agents while %s is killed -9 and"
                + " restarted %d times; every 202 must be evaluated and stored, none twice", machines, quickMachines,
                victim.displayName(), kills);
    }

    @Override
    public boolean run(StackConfig base, boolean quick, PrintStream out) throws Exception {
        int n = quick ? quickMachines : machines;
        out.printf("%s%s: %s%n", id, quick ? " (quick)" : "", description());
        try (ChaosStack stack = ChaosStack.create(base, id, out)) {
            stack.up();
            AgentClient client = new AgentClient(stack.config.tokens().enrollSecret(), stack.config.tokens().operator());
            SnapshotLoad load = new SnapshotLoad(stack, client, id + "-M", "C" + id.substring(1) + "A", n);
            load.enroll(8, out);
            double rate = (double) n / (kills * secondsPerKill);
            out.printf(Locale.ROOT, "  sending %d snapshots from 16 threads, paced at most %.0f/s%n", n, rate);
            long t0 = System.nanoTime();
            load.start(16, rate);
            List<Double> restarts = new ArrayList<>();
            int done = 0;
            for (int i = 1; i <= kills; i++) {
                long threshold = (long) i * n / (kills + 1);
                while (load.accepted202.get() < threshold && !load.done()) {
                    Thread.sleep(100);
                }
                if (load.done()) {
                    break;
                }
                stack.kill(victim, 1);
                out.printf(Locale.ROOT, "  kill -9 #%d of %s at %d accepted (%.1f s); down %d s before the restart%n", i,
                        victim.displayName(), load.accepted202.get(), (System.nanoTime() - t0) / 1e9,
                        downMillis[(i - 1) % downMillis.length] / 1000);
                Thread.sleep(downMillis[(i - 1) % downMillis.length]);
                restarts.add(stack.start(victim, 1));
                done++;
            }
            load.await();
            double sendSeconds = (System.nanoTime() - t0) / 1e9;
            long stored = load.awaitStored(out);
            double allSeconds = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "%n%s figures: %d kills of %s (restart to ready: mean %.1f s); all %d 202s in %.1f s,"
                    + " all stored after %.1f s; the agents retried %d times after 503 and %d times after a broken"
                    + " connection%n", id, done, victim.displayName(),
                    restarts.stream().mapToDouble(Double::doubleValue).average().orElse(0), load.accepted202.get(),
                    sendSeconds, allSeconds, client.retried503.get(), client.retriedIo.get());
            SnapshotLoad.Check check = load.check();
            check.print(out);
            double counter = stack.metric(Component.COLLECTOR, 1, "tlsrollout_snapshots_received_total",
                    "outcome=\"accepted\"");
            out.printf(Locale.ROOT, "  collector's tlsrollout_snapshots_received_total{outcome=accepted} %.0f (the 202s"
                    + " and import lines since its start: %d)%n", counter, load.accepted202.get());
            boolean ok = check.ok() && done == kills && stored >= check.accepted();
            out.printf("%s %s: %d lost, %d rows no 202 accounts for, %d kills of %d%n", id, ok ? "PASSED" : "FAILED",
                    check.lost(), check.unexpectedRows(), done, kills);
            return ok;
        }
    }
}
