package org.tlsrollout.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;
import org.tlsrollout.cli.Component;
import org.tlsrollout.cli.Database;
import org.tlsrollout.cli.Stack;
import org.tlsrollout.cli.StackConfig;

/**
 * A stack of a benchmark's own, never the user's {@code up}: a state folder {@code .tlsrollout/bench-<id>} (wiped
 * before; its Kafka data deleted after, its logs kept), free ports, and a database {@code tlsrollout_bench_<id>} on
 * the PostgreSQL the user's configuration points at (dropped afterwards).
 */
final class BenchStack implements AutoCloseable {
    final StackConfig config;
    final Stack stack;
    private final boolean withDatabase;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private Thread hook;

    private BenchStack(StackConfig config, Stack stack, boolean withDatabase) {
        this.config = config;
        this.stack = stack;
        this.withDatabase = withDatabase;
    }

    /**
     * The services' JVM options for a benchmark: {@code -Dtlsrollout.bench.javaOptions} on the CLI's JVM, else the
     * benchmark's own.
     */
    static String javaOptions(String benchmarkDefault) {
        return System.getProperty("tlsrollout.bench.javaOptions", benchmarkDefault);
    }

    /**
     * Starts the given components of a fresh stack derived from the user's configuration.
     *
     * @param javaOptions the services' JVM options, null for the user's
     */
    static BenchStack start(StackConfig user, String id, Set<Component> components, String javaOptions, PrintStream out)
            throws IOException {
        StackConfig config = user.isolated("bench-" + id.toLowerCase(),
                javaOptions != null ? javaOptions : user.javaOptions());
        Path home = config.home();
        deleteTree(home);
        boolean withDatabase = components.stream().anyMatch(Component::usesDatabase);
        if (withDatabase) {
            new Database(config).drop();
        }
        BenchStack s = new BenchStack(config, new Stack(config, out), withDatabase);
        out.printf("%s: a stack of its own in %s (Kafka %s%s)%n", id, home, config.bootstrapServers(),
                withDatabase ? ", database " + new Database(config).name() : "");
        // Ctrl-C or a kill ends the benchmark: its stack goes with it.
        s.hook = new Thread(s::close, "bench-stack-down");
        Runtime.getRuntime().addShutdownHook(s.hook);
        try {
            s.stack.up(components);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    StackConfig config() {
        return config;
    }

    long pid(Component c) {
        return stack.running(c).orElseThrow(() -> new IllegalStateException(c.displayName() + " is not running")).pid();
    }

    /** A connection to the benchmark's own database. */
    Connection database() throws SQLException {
        return DriverManager.getConnection(config.dbUrl(), config.dbUser(), config.dbPassword());
    }

    /**
     * Writes every dirty page out (CHECKPOINT), so that a timed step does not pay for an earlier one's; as the
     * administrative role, since the services' role may not. Where that role may not either, says so and goes on.
     */
    void checkpoint(PrintStream out) {
        try (Connection admin = DriverManager.getConnection(config.dbUrl(), config.dbAdminUser(),
                config.dbAdminPassword()); java.sql.Statement s = admin.createStatement()) {
            s.execute("CHECKPOINT");
        } catch (SQLException e) {
            out.println("  (no CHECKPOINT before the baseline: " + e.getMessage() + ")");
        }
    }

    /** Peak and current resident memory of a process, in MiB, from /proc (VmHWM, VmRSS); -1 when unknown. */
    static long[] rssMiB(long pid) {
        long hwm = -1;
        long rss = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    hwm = kb(line) >> 10;
                } else if (line.startsWith("VmRSS:")) {
                    rss = kb(line) >> 10;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process ended
        }
        return new long[] {hwm, rss};
    }

    /** CPU time (user and system) the process has used so far, in seconds; 0 when the system does not tell. */
    static double cpuSeconds(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    /** CPU time of every process of the local PostgreSQL server (its postmaster and backends), in seconds. */
    static double postgresCpuSeconds() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .mapToDouble(p -> p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0))
                .sum();
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    /** Stops one component and waits until it has ended (killed after 30 s). */
    void stop(Component c) {
        stack.instances().stop(c, 1);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs already
            }
        }
        try {
            stack.down(false);
        } finally {
            try {
                if (withDatabase) {
                    new Database(config).drop();
                }
            } finally {
                try {
                    deleteTree(config.kafkaData()); // the logs stay, for a look at a failed run
                } catch (IOException ignored) {
                    // left for the next run, which wipes the whole folder first
                }
            }
        }
    }

    /** The Kafka clients of the CLI's JVM log at WARN (slf4j-simple reads this before its first logger). */
    static void quietKafkaClients() {
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
