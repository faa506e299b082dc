package org.tlsrollout.benchmarks;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.tlsrollout.cli.Component;
import org.tlsrollout.cli.Demo;
import org.tlsrollout.cli.StackConfig;
import org.tlsrollout.cli.StackException;

/**
 * B5: a simulated estate (100,000 machines, 4 sites; {@code --quick} 10,000) taken through the four phases by the
 * demo's driver ({@link Demo}) on a stack of its own, with the resident memory of every process sampled each
 * second and the CPU time of each (the simulator in this JVM, the services, Kafka, PostgreSQL) read at each step's
 * beginning and end ({@link CpuSplit}). Figure: seconds from the first enrollment to the last phase done. Baseline,
 * same run and stack: the inventory step (every agent enrolls and reports its snapshot until remediation-service
 * knows every machine); ratio = whole rollout / inventory, i.e. how many inventories the four phases cost.
 */
public final class EstateRollout implements Benchmark {
    /**
     * The services' JVM options for this benchmark: heap and direct buffers capped so that resident memory stays
     * under 512 MB (remediation-service peaked at 507 MB with {@code -Xmx320m} and no direct memory cap; its live
     * heap at 100k machines in the wave benchmark was about 150 MiB). {@code -Dtlsrollout.bench.javaOptions} overrides.
     */
    static final String JAVA_OPTIONS = "-Xmx256m -XX:MaxDirectMemorySize=96m -XX:MaxMetaspaceSize=160m "
            + "-XX:ReservedCodeCacheSize=64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    @Override
    public String id() {
        return "B5";
    }

    @Override
    public String description() {
        return "100,000 simulated machines, 4 sites, through all four phases; peak RSS per service "
                + "(--quick: 10,000); baseline: the same estate's inventory";
    }

    @Override
    public Result run(StackConfig user, boolean quick, PrintStream out) throws Exception {
        int machines = Integer.getInteger("tlsrollout.bench.machines", quick ? 10_000 : 100_000);
        int sites = 4;
        String javaOptions = BenchStack.javaOptions(JAVA_OPTIONS);
        try (BenchStack bench = BenchStack.start(user, id(), EnumSet.allOf(Component.class), javaOptions, out)) {
            Map<Component, Long> peak = new EnumMap<>(Component.class);
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "rss-sampler");
                t.setDaemon(true);
                return t;
            });
            sampler.scheduleAtFixedRate(() -> {
                for (Component c : Component.values()) {
                    bench.stack.running(c).ifPresent(p -> {
                        long rss = BenchStack.rssMiB(p.pid())[1] * 1024; // kB
                        synchronized (peak) {
                            peak.merge(c, rss, Math::max);
                        }
                    });
                }
            }, 0, 1, TimeUnit.SECONDS);
            CpuSplit cpu = new CpuSplit(bench);
            Demo demo = new Demo(bench.config, new Demo.Options(machines, sites, 0, 42, 512, 40, 0.05), out)
                    .steps(cpu);
            long started = System.nanoTime();
            int exit;
            try {
                exit = demo.run();
            } finally {
                sampler.shutdownNow();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            out.printf(Locale.ROOT, "%nB5: %d machines, %d sites: %.1f s in all (JVM options of the services: %s)%n",
                    machines, sites, seconds, javaOptions);
            demo.timings().forEach((step, s) -> out.printf(Locale.ROOT, "  %-16s %7.1f s%n", step, s));
            out.println("peak resident memory, sampled every second:");
            boolean over = false;
            synchronized (peak) {
                for (Map.Entry<Component, Long> e : peak.entrySet()) {
                    long mb = e.getValue() / 1024;
                    boolean service = e.getKey() != Component.KAFKA;
                    over |= service && mb > 512;
                    out.printf(Locale.ROOT, "  %-20s %5d MB%s%n", e.getKey().displayName(), mb,
                            service && mb > 512 ? "  OVER 512 MB" : "");
                }
                out.printf(Locale.ROOT, "peak RSS of a service: %d MB%n", peak.entrySet().stream()
                        .filter(e -> e.getKey() != Component.KAFKA).mapToLong(Map.Entry::getValue).max().orElse(0) / 1024);
            }
            cpu.print(out);
            if (exit != 0) {
                throw new StackException("B5: the rollout did not finish (see above); logs in " + bench.config.logs());
            }
            if (over) {
                out.println("B5: a service went over 512 MB of resident memory");
            }
            Double inventory = demo.timings().get("inventory");
            return new Result(id(), "seconds", Math.rint(seconds * 10) / 10, seconds / inventory);
        }
    }
}
