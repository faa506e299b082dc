package org.tlsrollout.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tlsrollout.cli.Component;
import org.tlsrollout.cli.Demo;

/**
 * B5's CPU split (issue 19): the CPU seconds each process used in each step of the demo, read at each step's
 * beginning and end: the CLI's own JVM (the simulator: every agent, and the demo's driver), each component of the
 * stack, the PostgreSQL backends serving the run's database (those alive at the step's end; the server's own
 * processes, such as the checkpointer and autovacuum, are left out), and the rest of the machine (/proc/stat).
 */
final class CpuSplit implements Demo.Steps {
    static final String SIMULATOR = "simulator";
    static final String POSTGRES = "PostgreSQL";
    static final String OTHERS = "others";

    private final BenchStack bench;
    private final int cores = Runtime.getRuntime().availableProcessors();
    private final Map<String, Step> steps = new LinkedHashMap<>();
    private Reading begun;

    CpuSplit(BenchStack bench) {
        this.bench = bench;
    }

    /** What one step used: wall seconds and CPU seconds by process, in the order of the table. */
    record Step(double wall, Map<String, Double> cpu) {
        double system() {
            return cpu.entrySet().stream().filter(e -> !e.getKey().equals(SIMULATOR) && !e.getKey().equals(OTHERS))
                    .mapToDouble(Map.Entry::getValue).sum();
        }
    }

    /** CPU seconds so far by process, PostgreSQL by backend pid, and the whole machine's busy seconds. */
    private record Reading(long nanos, Map<String, Double> processes, Map<Long, Double> backends, double machine) {
    }

    @Override
    public void begin(String step) {
        begun = read();
    }

    @Override
    public void end(String step) {
        Reading end = read();
        Map<String, Double> cpu = new LinkedHashMap<>();
        end.processes().forEach((name, s) -> cpu.put(name, s - begun.processes().getOrDefault(name, s)));
        cpu.put(POSTGRES, end.backends().entrySet().stream()
                .mapToDouble(e -> e.getValue() - begun.backends().getOrDefault(e.getKey(), 0.0)).sum());
        double ours = cpu.values().stream().mapToDouble(Double::doubleValue).sum();
        cpu.put(OTHERS, Math.max(0, end.machine() - begun.machine() - ours));
        steps.put(step, new Step((end.nanos() - begun.nanos()) / 1e9, cpu));
    }

    Map<String, Step> steps() {
        return steps;
    }

    private Reading read() {
        Map<String, Double> processes = new LinkedHashMap<>();
        processes.put(SIMULATOR, BenchStack.cpuSeconds(ProcessHandle.current().pid()));
        for (Component c : Component.values()) {
            bench.stack.running(c).ifPresent(p -> processes.put(c.displayName(), BenchStack.cpuSeconds(p.pid())));
        }
        return new Reading(System.nanoTime(), processes, backends(), machineBusySeconds());
    }

    /** CPU seconds so far of each backend of the run's database (none when PostgreSQL is not on this machine). */
    private Map<Long, Double> backends() {
        Map<Long, Double> cpu = new HashMap<>();
        try (Connection db = bench.database(); Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            while (rs.next()) {
                long pid = rs.getLong(1);
                ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration())
                        .ifPresent(d -> cpu.put(pid, d.toNanos() / 1e9));
            }
        } catch (SQLException e) {
            // no figure for PostgreSQL this time; the table shows 0
        }
        return cpu;
    }

    /** Seconds the machine's CPUs were busy since boot (/proc/stat, in USER_HZ = 1/100 s); 0 when not Linux. */
    static double machineBusySeconds() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            String[] f = lines.get(0).trim().split("\\s+"); // cpu user nice system idle iowait irq softirq steal ...
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += i < f.length ? Long.parseLong(f[i]) : 0;
            }
            return busy / 100.0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The table of CPU seconds by step and process, and for each step what limited it. */
    void print(PrintStream out) {
        if (steps.isEmpty()) {
            return;
        }
        List<String> names = List.copyOf(steps.values().iterator().next().cpu().keySet());
        out.printf(Locale.ROOT, "CPU seconds by step and process (%d cores; simulator = the CLI's JVM: the agents and "
                + "the demo's driver; PostgreSQL = the run's backends; others = the rest of the machine):%n", cores);
        out.printf(Locale.ROOT, "  %-15s %7s", "step", "wall s");
        names.forEach(n -> out.printf(Locale.ROOT, " %12s", shortName(n)));
        out.printf(Locale.ROOT, " %11s%n", "cores busy");
        Step whole = null;
        for (Map.Entry<String, Step> e : steps.entrySet()) {
            row(out, e.getKey(), e.getValue(), names);
            whole = whole == null ? e.getValue() : sum(whole, e.getValue());
        }
        row(out, "all steps", whole, names);
        for (Map.Entry<String, Step> e : steps.entrySet()) {
            out.printf(Locale.ROOT, "  %s%n", verdict(e.getKey(), e.getValue(), cores));
        }
        out.printf(Locale.ROOT, "  %s%n", verdict("all steps", whole, cores));
    }

    private void row(PrintStream out, String step, Step s, List<String> names) {
        out.printf(Locale.ROOT, "  %-15s %7.1f", step, s.wall());
        names.forEach(n -> out.printf(Locale.ROOT, " %12.1f", s.cpu().getOrDefault(n, 0.0)));
        double busy = s.cpu().values().stream().mapToDouble(Double::doubleValue).sum();
        out.printf(Locale.ROOT, " %6.0f%% of %d%n", 100 * busy / (s.wall() * cores), cores);
    }

    /**
     * Who used the CPU in a step: with the cores nearly all busy (90%), the larger of the simulator and the system
     * (the services, Kafka and PostgreSQL) is the limit; otherwise neither is, and the step waited (rounds, batches).
     */
    static String verdict(String step, Step s, int cores) {
        double simulator = s.cpu().getOrDefault(SIMULATOR, 0.0);
        double system = s.system();
        double others = s.cpu().getOrDefault(OTHERS, 0.0);
        double busy = (simulator + system + others) / (s.wall() * cores);
        String split = String.format(Locale.ROOT, "%s: simulator %.0f s, system %.0f s, other processes %.0f s of CPU"
                + " in %.0f s, cores %.0f%% busy", step, simulator, system, others, s.wall(), 100 * busy);
        if (busy < 0.9) {
            return split + ": the cores were not saturated; the step waited more than it computed";
        }
        if (others > Math.max(simulator, system)) {
            return split + ": other processes used the most: the machine's load, not this run, is the limit";
        }
        return split + ": " + (simulator > system ? "the simulator, not the system, is the limit"
                : "the system, not the simulator, is the limit");
    }

    private static Step sum(Step a, Step b) {
        Map<String, Double> cpu = new LinkedHashMap<>(a.cpu());
        b.cpu().forEach((k, v) -> cpu.merge(k, v, Double::sum));
        return new Step(a.wall() + b.wall(), cpu);
    }

    private static String shortName(String name) {
        return name.endsWith("-service") ? name.substring(0, name.length() - "-service".length()) : name;
    }
}
